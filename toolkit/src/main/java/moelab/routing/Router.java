package moelab.routing;

import ai.djl.ndarray.NDArray;

/**
 * A routing strategy: turns router logits {@code W_g x} of shape {@code (T, E)} into a
 * {@link Routing}. Routers hold no parameters of their own (the gate {@code W_g} belongs to the
 * MoE layer), so one router object can be shared, swapped and tested on hand-written logits.
 */
public interface Router {

    /**
     * @param logits {@code (T, E)} router logits
     * @param tokenIds {@code (T)} input token ids, only needed by {@link HashRouter}; may be null
     * @param training whether this is a training pass (adds gate noise, enables balanced
     *     assignment)
     */
    Routing route(NDArray logits, NDArray tokenIds, boolean training);

    /** Routes without token ids. */
    default Routing route(NDArray logits, boolean training) {
        return route(logits, null, training);
    }
}
