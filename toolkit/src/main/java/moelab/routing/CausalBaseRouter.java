package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

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
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        NDArray choice = training
                ? onlineChoice(logits, items, experts)
                : StableOrder.top(logits, 1); // (T, 1)
        NDArray gates = Slots.gather(Activation.sigmoid(logits), choice);
        NDArray probs = logits.softmax(1);
        return Slots.route(choice, null, gates, training ? 1.0 : 0, probs, probs, logits, null);
    }

    /**
     * The online assignment on the host (sequential by definition, like BASE's greedy solver), as a
     * {@code (T, 1)} int64 array on the logits' device.
     */
    private static NDArray onlineChoice(NDArray logits, int items, int experts) {
        float[] score = logits.toType(DataType.FLOAT32, false).toFloatArray();
        long[] choice = online(score, items, experts, Capacity.of(1, items, 1.0, experts));
        return logits.getManager().create(choice).reshape(items, 1)
                .toDevice(logits.getDevice(), false);
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
