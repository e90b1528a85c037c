package moelab.routing;

import ai.djl.ndarray.NDArray;

/**
 * BASE layers routing made causal in training: a balanced assignment (every expert takes at most
 * {@code ceil(T/E)} items, every item gets an expert) solved online, in item order. Item {@code i}
 * goes to its best-scoring expert that still has room, so its expert depends only on items
 * {@code 0 .. i}. Given the tokens of a batch in position-major order ({@code (T, B)}, as
 * {@code moelab.models.PositionMajor} hands them over), a token's expert depends only on tokens at
 * its own or earlier positions: the model stays causal in time while every expert gets its even
 * share. At evaluation each item goes to its best expert, as in {@link BaseRouter}. The combine
 * weight is {@code sigmoid((W_g x)_e)}. Like {@link BaseRouter}, the training-time assignment is
 * solved on the host; the seats and weights are tensor operations on the logits' device.
 *
 * <p>The price: the last items take what room is left, so the assignment scores lower than BASE's
 * batch-wide one.
 */
public final class CausalBaseRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        return BaseRouter.route(logits, training, CausalBaseRouter::online);
    }

    /** {@code (T)}: item by item, the best expert with room left. */
    static long[] online(float[] score, int items, int experts, int capacity) {
        long[] choice = new long[items];
        int[] filled = new int[experts];
        for (int t = 0; t < items; t++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                boolean room = filled[e] < capacity;
                if (room && (best < 0 || score[t * experts + e] > score[t * experts + best])) {
                    best = e;
                }
            }
            choice[t] = best;
            filled[best]++;
        }
        return choice;
    }
}
