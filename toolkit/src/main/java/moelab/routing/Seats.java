package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The seat of every (item, slot) in its expert's buffer, computed on the device with a cumulative
 * sum over a one-hot: the tensor form of {@link Capacity#assign}. Slots are served slot-major
 * (all first choices, then all second choices, ...), items within a slot in the given order.
 *
 * <pre>
 *   a        = choice[order]ᵀ flattened            (S·T) assignments in serving order
 *   onehot   = [a_n == e]                          (S·T, E)
 *   seat_n   = Σ_{m≤n} onehot[m, a_n] − 1          earlier assignments to the same expert
 *   position = seat if a_n ≥ 0 and seat &lt; C, else −1
 * </pre>
 *
 * Memory is {@code S·T·E} int64 for the one-hot and its cumulative sum.
 */
final class Seats {

    private Seats() {}

    /**
     * @param choice {@code (T, S)} int64 expert per item and slot, -1 for an unused slot
     * @param order {@code (T)} int64 serving order of the items (a permutation), or null for
     *     batch order
     * @param experts number of experts {@code E}
     * @param capacity rows per expert buffer {@code C}
     * @return {@code (T, S)} int64 buffer row per slot, -1 where dropped or unused
     */
    static NDArray positions(NDArray choice, NDArray order, int experts, int capacity) {
        long items = choice.getShape().get(0);
        long slots = choice.getShape().get(1);
        NDArray served = order == null ? choice : choice.get(order); // (T, S), rows in serving order
        NDArray flat = served.transpose().reshape(-1); // (S·T), slot-major
        NDArray onehot = oneHot(flat, experts); // (S·T, E)
        NDArray seat = onehot.cumSum(0).gather(flat.maximum(0).expandDims(1), 1).squeeze(1)
                .sub(1); // (S·T): earlier assignments to the same expert (garbage where unused)
        NDArray kept = flat.gte(0).logicalAnd(seat.lt(capacity)).toType(DataType.INT64, false);
        NDArray position = seat.add(1).mul(kept).sub(1).reshape(slots, items).transpose(); // (T, S)
        return order == null ? position : position.get(order.argSort());
    }

    /** {@code (E)} int64: how many of the given assignments (any shape, -1 = none) chose each expert. */
    static NDArray loads(NDArray choice, int experts) {
        return oneHot(choice.reshape(-1), experts).sum(new int[] {0});
    }

    /** {@code (N, E)} int64 one-hot of {@code (N)} expert indices; -1 gives a zero row. */
    private static NDArray oneHot(NDArray expert, int experts) {
        NDArray ids = expert.getManager().arange(0f, experts, 1f, DataType.INT64, expert.getDevice());
        return expert.expandDims(1).eq(ids.expandDims(0)).toType(DataType.INT64, false);
    }
}
