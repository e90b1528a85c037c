// exercise: 01-softmax
// expect: FAILED
// Subtracts the maximum of the whole array, not of each row: stable for one row, but a row far
// below the global maximum, [0, 0] beside [1000, 1000], underflows to 0/0 = NaN.
/** Softmax along the last axis: same shape as {@code logits}, each last-axis slice sums to 1. */
NDArray softmax(NDArray logits) {
    NDArray shifted = logits.sub(logits.max());
    NDArray e = shifted.exp();
    return e.div(e.sum(new int[] {-1}, true));
}
