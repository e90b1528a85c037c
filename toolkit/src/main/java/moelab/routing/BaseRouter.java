package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
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
 *
 * <p>Device and host: the training-time assignment is the one routing decision moelab still makes
 * on the host. The greedy visit is inherently sequential (each pair's fate depends on all earlier
 * ones) and has no tensor formulation here, so a training pass copies the {@code (T, E)} logits
 * to Java and the {@code (T)} choices back. Evaluation (top-1) and the seats, weights and
 * buffers are tensor operations on the logits' device like every other router.
 */
public final class BaseRouter implements Router {

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        return route(logits, training, BaseRouter::balancedAssignment);
    }

    /** A balanced assignment of T items to E experts of {@code capacity} rows, solved on the host. */
    @FunctionalInterface
    interface Assignment {
        /**
         * @param score {@code (T, E)} router logits, row-major
         * @return {@code (T)} expert of each item
         */
        long[] solve(float[] score, int items, int experts, int capacity);
    }

    /**
     * BASE routing with the given training-time assignment (capacity {@code ceil(T/E)}); top-1 at
     * evaluation. Shared by {@link CausalBaseRouter}.
     */
    static Routing route(NDArray logits, boolean training, Assignment assignment) {
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        NDArray choice = training
                ? hostChoice(logits, items, experts, assignment)
                : StableOrder.top(logits, 1); // (T, 1)
        NDArray gates = Slots.gather(Activation.sigmoid(logits), choice);
        NDArray probs = logits.softmax(1);
        return Slots.route(choice, null, gates, training ? 1.0 : 0, probs, probs, logits, null);
    }

    /** The assignment solved on the host, as a {@code (T, 1)} int64 array on the device. */
    private static NDArray hostChoice(NDArray logits, int items, int experts, Assignment assignment) {
        float[] score = logits.toType(DataType.FLOAT32, false).toFloatArray();
        long[] choice = assignment.solve(score, items, experts, Capacity.of(1, items, 1.0, experts));
        return logits.getManager().create(choice).reshape(items, 1)
                .toDevice(logits.getDevice(), false);
    }

    private static long[] balancedAssignment(float[] score, int items, int experts, int capacity) {
        Integer[] pairs = IntStream.range(0, items * experts).boxed().toArray(Integer[]::new);
        Arrays.sort(pairs, (a, b) -> Float.compare(score[b], score[a]));
        long[] choice = new long[items];
        Arrays.fill(choice, -1);
        int[] filled = new int[experts];
        for (int pair : pairs) {
            int t = pair / experts;
            int e = pair % experts;
            if (choice[t] < 0 && filled[e] < capacity) {
                choice[t] = e;
                filled[e]++;
            }
        }
        return choice;
    }
}
