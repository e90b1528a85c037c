package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.stream.IntStream;

/**
 * Deterministic routing: item i goes to expert {@code i mod E} with weight 1, whatever its
 * content. sMLP's sMoE uses it to send chunk i of the hidden dimension to expert i: since no
 * decision looks at the tokens, routing cannot leak future tokens into the past.
 */
public final class DeterministicRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        int[][] choice = new int[items][1];
        for (int t = 0; t < items; t++) {
            choice[t][0] = t % experts;
        }
        int capacity = Math.max(1, (items + experts - 1) / experts);
        int[][] position =
                Capacity.assign(choice, IntStream.range(0, items).toArray(), experts, capacity);
        return new Routing(experts, capacity, choice, position, Slots.keptMask(logits, position),
                logits.softmax(1), logits, null);
    }
}
