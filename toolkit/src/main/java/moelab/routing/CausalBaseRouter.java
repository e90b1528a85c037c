package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.stream.IntStream;

/**
 * BASE layers routing made causal in training: a balanced assignment (every expert takes at most
 * {@code ceil(T/E)} items, every item gets an expert) solved online, in item order. Item {@code i}
 * goes to its best-scoring expert that still has room, so its expert depends only on items
 * {@code 0 .. i}. Given the tokens of a batch in position-major order ({@code (T, B)}, see
 * {@link moelab.models.PositionMajor}) a token's expert depends only on tokens at its own or
 * earlier positions: the model stays causal in time while every expert gets its even share. At
 * evaluation each item goes to its best expert, as in {@link BaseRouter}. The combine weight is
 * {@code sigmoid((W_g x)_e)}.
 *
 * <p>The price: the last items take what room is left, so the assignment scores lower than BASE's
 * batch-wide one.
 */
public final class CausalBaseRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        float[] score = Slots.floats(logits);
        int capacity = Capacity.of(1, items, training ? 1.0 : 0, experts);
        int[][] choice = training ? online(score, items, experts, capacity)
                : TopKRouter.topK(score, items, experts, 1);
        int[][] position = Capacity.assign(choice, IntStream.range(0, items).toArray(), experts,
                capacity);
        NDArray weights = Slots.gather(Activation.sigmoid(logits), choice)
                .mul(Slots.keptMask(logits, position));
        return new Routing(experts, capacity, choice, position, weights, logits.softmax(1), logits,
                null);
    }

    /** {@code (T, 1)}: item by item, the best expert with room left. */
    static int[][] online(float[] score, int items, int experts, int capacity) {
        int[][] choice = new int[items][1];
        int[] filled = new int[experts];
        for (int t = 0; t < items; t++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                boolean room = filled[e] < capacity;
                if (room && (best < 0 || score[t * experts + e] > score[t * experts + best])) {
                    best = e;
                }
            }
            choice[t][0] = best;
            filled[best]++;
        }
        return choice;
    }
}
