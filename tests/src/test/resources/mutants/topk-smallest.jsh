// exercise: 01-topk
// expect: FAILED
// Wrong top-k: sorts ascending, so it picks the k *worst* experts.
NDArray topKIndices(NDArray scores, int k) {
    return scores.argSort(-1, true).get(new NDIndex(":, :" + k));
}
