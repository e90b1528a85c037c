// exercise: 01-softmax
// expect: FAILED
// Softmax without subtracting the row maximum: exp(1000) overflows to infinity, giving NaN.
NDArray softmax(NDArray logits) {
    NDArray e = logits.exp();
    return e.div(e.sum(new int[] {-1}, true));
}
