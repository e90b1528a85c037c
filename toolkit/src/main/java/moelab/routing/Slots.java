package moelab.routing;

import ai.djl.ndarray.NDArray;

/** Token-choice routings from {@code (T, S)} expert choices, built on the router's device. */
final class Slots {

    private Slots() {}

    /**
     * {@code source[t, choice[t, s]]} for every slot, shape {@code (T, S)}; unused slots (-1) read
     * column 0 and must be masked by the caller. Differentiable in {@code source}.
     */
    static NDArray gather(NDArray source, NDArray choice) {
        return source.gather(choice.maximum(0), 1);
    }

    /** {@code (T, S)} mask in {@code like}'s type: 1 where a slot got a buffer row, else 0. */
    static NDArray keptMask(NDArray like, NDArray position) {
        return position.gte(0).toType(like.getDataType(), false);
    }

    /**
     * Seats the choices ({@link Seats}) with the capacity of the factor (from the batch's largest
     * load when dropless, {@link Capacity#dropless}) and zeroes the gates of dropped or unused
     * slots.
     *
     * @param choice {@code (T, S)} int64 experts, -1 for unused slots
     * @param order {@code (T)} int64 serving order, or null for batch order
     * @param gates {@code (T, S)} combine weight of each slot if kept
     * @param capacityFactor see {@link Capacity}
     * @param probs {@code (T, E)} probabilities that chose the experts
     * @param clean {@code (T, E)} noise-free probabilities
     * @param logits {@code (T, E)} clean logits
     * @param load {@code (T, E)} selection probability under the noise, or null
     */
    static Routing route(NDArray choice, NDArray order, NDArray gates, double capacityFactor,
            NDArray probs, NDArray clean, NDArray logits, NDArray load) {
        int experts = Math.toIntExact(probs.getShape().get(1));
        Seats seats = Seats.of(choice, order, experts);
        int capacity = capacity(seats, Math.toIntExact(choice.getShape().get(1)),
                Math.toIntExact(choice.getShape().get(0)), capacityFactor, experts);
        return route(seats, capacity, choice, gates, probs, clean, logits, load);
    }

    /** {@link Capacity#of(int, int, double, int)}, or {@link Capacity#dropless} for factor <= 0. */
    static int capacity(Seats seats, int k, int items, double capacityFactor, int experts) {
        Capacity.checkFactor(capacityFactor);
        return capacityFactor > 0 ? Capacity.of(k, items, capacityFactor, experts)
                : Capacity.dropless(seats.loads(), items);
    }

    /** As above with seats already computed and a given capacity. */
    static Routing route(Seats seats, int capacity, NDArray choice, NDArray gates, NDArray probs,
            NDArray clean, NDArray logits, NDArray load) {
        int experts = Math.toIntExact(probs.getShape().get(1));
        NDArray position = seats.positions(capacity);
        NDArray weights = gates.mul(keptMask(gates, position));
        return Routing.of(experts, capacity, choice, position, weights, probs, clean, logits, load);
    }
}
