package moelab.models;

import moelab.routing.Capacity;

/**
 * FLOPs per token of one MoE feed-forward layer as it actually runs, padding included: what
 * {@link Cost#moe} leaves out. A multiply-add counts as 2 FLOPs; biases, activations, softmax,
 * dispatch and combine are not counted.
 *
 * <pre>
 *   router   = 2 · d · E                         per token ((T, d) x (d, E))
 *   rows     = E · C,  C = ceil(k · T · cf / E) (at most T)   buffer rows, padding included
 *            = k · T                              when cf &lt;= 0 (dropless, sort-then-grouped)
 *   experts  = rows · (2 · d · h + 2 · h · d)    for the whole batch
 *   per token = router + experts / T
 * </pre>
 *
 * A dense FFN {@code d → h → d} costs {@code 4 d h} per token, so a top-1 MoE with capacity
 * factor 1 and {@code T} divisible by {@code E} costs the dense FFN plus the router.
 */
public final class MoeFlops {

    private MoeFlops() {}

    /**
     * @param tokens {@code T} tokens in the batch (the group that shares the capacity)
     * @param d model width
     * @param h each expert's hidden width
     * @param experts {@code E}
     * @param k experts per token
     * @param capacityFactor {@code cf}; {@code <= 0} for dropless without padding
     * @return forward FLOPs per token
     */
    public static double perToken(int tokens, int d, int h, int experts, int k, double capacityFactor) {
        double router = 2.0 * d * experts;
        double rows = capacityFactor <= 0 ? (double) k * tokens
                : (double) experts * Capacity.of(k, tokens, capacityFactor, experts);
        return router + rows * 4.0 * d * h / tokens;
    }

    /** A dense FFN {@code d → h → d}: {@code 4 d h} forward FLOPs per token. */
    public static double denseFfnPerToken(int d, int h) {
        return 4.0 * d * h;
    }
}
