package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Deterministic routing: item i goes to expert {@code i mod E} with weight 1, whatever its
 * content. sMLP's sMoE uses it to send chunk i of the hidden dimension to expert i: since no
 * decision looks at the tokens, routing cannot leak future tokens into the past. Capacity is
 * {@code ceil(T / E)}, so nothing is dropped.
 */
public final class DeterministicRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        NDArray choice = logits.getManager()
                .arange(0f, items, 1f, DataType.INT64, logits.getDevice())
                .mod(experts).reshape(items, 1); // (T, 1): i mod E
        int capacity = Math.max(1, (items + experts - 1) / experts);
        NDArray ones = logits.onesLike().get(":, :1"); // (T, 1)
        NDArray probs = logits.softmax(1);
        return Slots.route(Seats.of(choice, null, experts), capacity, choice, ones, probs, probs,
                logits, null);
    }
}
