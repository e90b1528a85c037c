// exercise: 11-moe-flops
// expect: FAILED
// Counts only the k·T real rows: forgets that the batched expert matmul also runs the empty,
// padded rows of each capacity-C buffer.
double moeFlopsPerToken(int tokens, int d, int h, int experts, int k, double capacityFactor) {
    double router = 2.0 * d * experts;
    double rows = (double) k * tokens;
    return router + rows * 4.0 * d * h / tokens;
}
