// exercise: 07-bpc
// expect: FAILED
// Returns the cross-entropy in nats: forgets to divide by ln 2.
double bitsPerCharacter(NDArray logits, NDArray targets) {
    int vocab = (int) logits.getShape().get(2);
    NDArray picked = logits.logSoftmax(-1).mul(targets.toType(DataType.INT64, false).oneHot(vocab)).sum(new int[] {-1});
    return -picked.mean().getFloat();
}
