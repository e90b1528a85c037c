package moelab.nd;

import ai.djl.ndarray.NDArray;

/**
 * Multiplying or dividing by a Java number in a differentiable expression.
 *
 * <p>In DJL 0.35.1 on PyTorch, {@code x.mul(2f)} and {@code x.div(2f)} wrap the number in a
 * scalar tensor that reads a Java buffer in place, run the op, then close the scalar at once.
 * Autograd keeps that scalar to compute the gradient of {@code x}; once the garbage collector
 * frees the buffer, the backward pass reads freed memory, and gradients turn to garbage or NaN
 * now and then. Here the scalar is owned by {@code x}'s manager, so it lives as long as the
 * forward pass's arrays do.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code x · c}, differentiable in {@code x}. */
    public static NDArray times(NDArray x, double c) {
        return x.mul(constant(x, c));
    }

    /** {@code x / c}, differentiable in {@code x}. */
    public static NDArray dividedBy(NDArray x, double c) {
        return x.div(constant(x, c));
    }

    /** A 0-d constant of {@code x}'s type on {@code x}'s device, owned by {@code x}'s manager. */
    public static NDArray constant(NDArray x, double c) {
        return x.getManager().create((float) c).toType(x.getDataType(), false);
    }
}
