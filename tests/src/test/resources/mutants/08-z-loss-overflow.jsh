// exercise: 08-z-loss
// expect: FAILED
// log Σ exp(x) as written: exp(1000) overflows to infinity, exp(-1000) underflows to 0.
NDArray zLoss(NDArray logits) {
    return logits.exp().sum(new int[] {1}).log().square().mean();
}
