// exercise: 01-softmax
// expect: FAILED
// Normalises along the first axis (over tokens) instead of the last (over experts).
NDArray softmax(NDArray logits) {
    NDArray e = logits.sub(logits.max()).exp();
    return e.div(e.sum(new int[] {0}, true));
}
