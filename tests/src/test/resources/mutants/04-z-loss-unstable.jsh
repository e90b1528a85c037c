// exercise: 04-z-loss
// expect: FAILED
// log(sum(exp(z))) taken literally: exp(1000) overflows to infinity and exp(-1000) underflows to 0.
NDArray zLoss(NDArray logits) {
    return logits.exp().sum(new int[] {1}).log().square().mean();
}
