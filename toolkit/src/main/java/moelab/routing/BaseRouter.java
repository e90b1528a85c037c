package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * BASE layers routing (Lewis et al. 2021): during training, a balanced assignment in which every
 * expert receives the same number of items ({@code ceil(T/E)}) and the total score is high; at
 * evaluation each item simply goes to its best expert. The combine weight is
 * {@code sigmoid((W_g x)_e)}, as in the paper.
 *
 * <p>The paper solves the linear assignment problem exactly (auction algorithm); this router
 * solves it greedily: (item, expert) pairs are visited from the highest score down and taken
 * while both the item is unassigned and the expert has room.
 */
public final class BaseRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        float[] score = Slots.floats(logits);
        int[][] choice;
        int capacity;
        if (training) {
            capacity = Capacity.of(1, items, 1.0, experts);
            choice = balancedAssignment(score, items, experts, capacity);
        } else {
            capacity = Capacity.of(1, items, 0, experts);
            choice = TopKRouter.topK(score, items, experts, 1);
        }
        int[] order = IntStream.range(0, items).toArray();
        int[][] position = Capacity.assign(choice, order, experts, capacity);
        NDArray weights = Slots.gather(ai.djl.nn.Activation.sigmoid(logits), choice)
                .mul(Slots.keptMask(logits, position));
        return new Routing(experts, capacity, choice, position, weights, logits.softmax(1), logits,
                null);
    }

    private static int[][] balancedAssignment(float[] score, int items, int experts, int capacity) {
        Integer[] pairs = IntStream.range(0, items * experts).boxed().toArray(Integer[]::new);
        Arrays.sort(pairs, (a, b) -> Float.compare(score[b], score[a]));
        int[][] choice = new int[items][1];
        for (int[] row : choice) {
            row[0] = -1;
        }
        int[] filled = new int[experts];
        for (int pair : pairs) {
            int t = pair / experts;
            int e = pair % experts;
            if (choice[t][0] < 0 && filled[e] < capacity) {
                choice[t][0] = e;
                filled[e]++;
            }
        }
        return choice;
    }
}
