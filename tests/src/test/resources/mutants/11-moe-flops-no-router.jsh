// exercise: 11-moe-flops
// expect: FAILED
// Leaves out the router's 2·d·E FLOPs per token.
double moeFlopsPerToken(int tokens, int d, int h, int experts, int k, double capacityFactor) {
    double rows = capacityFactor <= 0 ? (double) k * tokens : (double) experts * Capacity.of(k, tokens, capacityFactor, experts);
    return rows * 4.0 * d * h / tokens;
}
