package moelab.models;

/**
 * Analytic size and compute of a model or a part of it, worked out from its configuration alone.
 *
 * <ul>
 *   <li>{@code parameters}: every trainable parameter (weights and biases, all experts);
 *   <li>{@code activeParameters}: the parameters one example's items actually use: all of them
 *       minus, in each MoE layer, the experts an item is not routed to (an item uses {@code k} of
 *       {@code E} experts; the gate counts);
 *   <li>{@code flops}: floating-point operations per example (per image, or per token for
 *       language models), counting each multiply-add of a matrix product as 2 FLOPs: a linear
 *       layer {@code in → out} on {@code n} rows costs {@code 2 · in · out · n}. Only matrix
 *       products count (linear layers, token-mixing matrices, attention scores and values, router
 *       gates, the k chosen experts per item); biases, activations, normalisation, softmax,
 *       dispatch and combine are left out, as are the extra rows a capacity factor above 1 adds.
 * </ul>
 */
public record Cost(long parameters, long activeParameters, long flops) {

    /** Nothing. */
    public static final Cost ZERO = new Cost(0, 0, 0);

    /** A linear layer {@code in → out} with bias, applied to {@code rows} rows. */
    public static Cost linear(long in, long out, long rows) {
        long p = in * out + out;
        return new Cost(p, p, 2 * in * out * rows);
    }

    /** A linear layer {@code in → out} without bias, applied to {@code rows} rows. */
    public static Cost linearNoBias(long in, long out, long rows) {
        long p = in * out;
        return new Cost(p, p, 2 * in * out * rows);
    }

    /** A two-layer MLP {@code d → h → d} ({@link moelab.mixing.FeedForward}) on {@code rows} rows. */
    public static Cost feedForward(long d, long h, long rows) {
        return linear(d, h, rows).plus(linear(h, d, rows));
    }

    /** A layer normalisation over {@code width} channels (scale and shift, no FLOPs counted). */
    public static Cost layerNorm(long width) {
        return new Cost(2 * width, 2 * width, 0);
    }

    /** A table of {@code count} parameters that is read, not multiplied (an embedding). */
    public static Cost table(long count) {
        return new Cost(count, count, 0);
    }

    /**
     * An {@link moelab.moe.MoeLayer} with {@code E} expert MLPs {@code d → h → d}, {@code k} of them
     * per item, on {@code items} items: gate {@code d E} (no bias) plus the experts.
     */
    public static Cost moe(long d, long h, long experts, long k, long items) {
        Cost expert = feedForward(d, h, items);
        Cost gate = linearNoBias(d, experts, items);
        return new Cost(gate.parameters() + experts * expert.parameters(),
                gate.activeParameters() + k * expert.parameters(),
                gate.flops() + k * expert.flops());
    }

    /** This plus {@code other}, part by part. */
    public Cost plus(Cost other) {
        return new Cost(parameters + other.parameters, activeParameters + other.activeParameters,
                flops + other.flops);
    }

    /** {@code n} copies of this. */
    public Cost times(long n) {
        return new Cost(parameters * n, activeParameters * n, flops * n);
    }
}
