// exercise: 01-topk
// expect: COMPILE_ERROR
// Does not compile (a missing semicolon); the other exercises must still be graded.
NDArray topKIndices(NDArray scores, int k) {
    return scores.argSort(-1, false).get(new NDIndex(":, :" + k))
}
