// exercise: 06-causal-mask
// expect: FAILED
// Strictly lower-triangular: a position may not even read itself.
NDArray causalMask(NDManager manager, int length) {
    NDArray t = manager.arange(length).reshape(length, 1);
    NDArray s = manager.arange(length).reshape(1, length);
    return s.lt(t).toType(DataType.FLOAT32, false);
}
