package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Expert-choice routing (Zhou et al. 2022): the experts choose, not the items. Each expert takes
 * the {@code C = ceil(T · capacityFactor / E)} items with the highest router probability for it, so
 * every expert is exactly full; an item may be picked by several experts or by none.
 *
 * <p>The routing has as many slots per item as the most experts any item was picked by; an item's
 * unused slots have expert -1. Weight of a pick: the router probability {@code softmax(W_g x)_e}.
 */
public final class ExpertChoiceRouter implements Router {

    private final double capacityFactor;

    /** @param capacityFactor average experts per item; 1 gives {@code C = T/E} */
    public ExpertChoiceRouter(double capacityFactor) {
        if (capacityFactor <= 0) {
            throw new IllegalArgumentException(
                    "expert-choice routing needs capacityFactor > 0, got " + capacityFactor);
        }
        this.capacityFactor = capacityFactor;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        NDArray probs = logits.softmax(1);
        float[] p = Slots.floats(probs);
        int capacity = Capacity.of(1, items, capacityFactor, experts);

        List<List<int[]>> picks = new ArrayList<>();
        for (int t = 0; t < items; t++) {
            picks.add(new ArrayList<>());
        }
        for (int e = 0; e < experts; e++) {
            int expert = e;
            int[] chosen = IntStream.range(0, items)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer t) -> -p[t * experts + expert]))
                    .limit(capacity)
                    .mapToInt(Integer::intValue)
                    .toArray();
            for (int row = 0; row < chosen.length; row++) {
                picks.get(chosen[row]).add(new int[] {e, row});
            }
        }
        int slots = Math.max(1, picks.stream().mapToInt(List::size).max().orElse(0));
        int[][] expert = new int[items][slots];
        int[][] position = new int[items][slots];
        for (int t = 0; t < items; t++) {
            for (int s = 0; s < slots; s++) {
                boolean used = s < picks.get(t).size();
                expert[t][s] = used ? picks.get(t).get(s)[0] : -1;
                position[t][s] = used ? picks.get(t).get(s)[1] : -1;
            }
        }
        NDArray weights = Slots.gather(probs, expert).mul(Slots.keptMask(probs, position));
        return new Routing(experts, capacity, expert, position, weights, probs, logits, null);
    }
}
