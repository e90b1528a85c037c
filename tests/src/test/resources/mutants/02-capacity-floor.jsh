// exercise: 02-capacity
// expect: FAILED
// Integer division: floor(k·T·cf/E) instead of the ceiling, so (k=2, T=10, cf=1.25, E=4) gets 6 rows, not 7.
int capacity(int k, int tokens, double capacityFactor, int experts) {
    if (capacityFactor <= 0) {
        return Math.max(tokens, 1);
    }
    int c = (int) (k * tokens * capacityFactor) / experts;
    return Math.max(1, Math.min(c, tokens));
}
