package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The device routing equals a straightforward Java reference (moelab's earlier host algorithm,
 * kept here): per-item stable sort for top-k, stable sort of the top gate for Batch Priority
 * Routing, {@link Capacity#assign} for the seats. Logits are drawn from {0, 1, 2} so that ties
 * within an item and between items are common.
 */
class DeviceRoutingReferenceTest {

    /** Indices of the k largest values of each row, largest first; ties go to the lower index. */
    private static int[][] topK(float[][] scores, int k) {
        return Arrays.stream(scores).map(row -> IntStream.range(0, row.length).boxed()
                .sorted(Comparator.comparingDouble((Integer e) -> -row[e]))
                .limit(k).mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    private static int[] topGateOrder(float[][] probs) {
        return IntStream.range(0, probs.length).boxed()
                .sorted(Comparator.comparingDouble((Integer t) -> -max(probs[t])))
                .mapToInt(Integer::intValue).toArray();
    }

    private static double max(float[] row) {
        float m = row[0];
        for (float v : row) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static float[][] tiedLogits(Random random, int tokens, int experts) {
        float[][] logits = new float[tokens][experts];
        for (float[] row : logits) {
            for (int e = 0; e < experts; e++) {
                row[e] = random.nextInt(3);
            }
        }
        return logits;
    }

    private static float[][] rows(NDArray array, int tokens) {
        float[] flat = array.toFloatArray();
        int cols = flat.length / tokens;
        float[][] out = new float[tokens][];
        for (int t = 0; t < tokens; t++) {
            out[t] = Arrays.copyOfRange(flat, t * cols, (t + 1) * cols);
        }
        return out;
    }

    @ParameterizedTest(name = "k={0} priority={1} capacity factor {2}")
    @CsvSource({
        "1, BATCH_ORDER, 0.5", "1, BATCH_ORDER, 1.25", "1, BATCH_ORDER, 0",
        "2, BATCH_ORDER, 0.5", "2, BATCH_ORDER, 1.25", "2, BATCH_ORDER, 0",
        "1, TOP_GATE, 0.5", "1, TOP_GATE, 1.25", "1, TOP_GATE, 0",
        "2, TOP_GATE, 0.5", "2, TOP_GATE, 1.25", "2, TOP_GATE, 0"})
    void topKEqualsTheJavaReference(int k, Priority priority, double capacityFactor) {
        Random random = new Random(31 * k + priority.ordinal() + (long) (100 * capacityFactor));
        for (int trial = 0; trial < 12; trial++) {
            int tokens = 1 + random.nextInt(40);
            int experts = Math.max(k, 2 + random.nextInt(6));
            boolean normalize = random.nextBoolean();
            float[][] logits = tiedLogits(random, tokens, experts);
            String input = "logits " + Arrays.deepToString(logits) + ", normalize " + normalize;
            try (NDManager manager = NDManager.newBaseManager()) {
                Routing r = new TopKRouter(k, 0, capacityFactor, normalize, priority)
                        .route(manager.create(logits), false);
                float[][] probs = rows(r.probs(), tokens);
                int[][] choice = topK(probs, k);
                int[] order = priority == Priority.TOP_GATE
                        ? topGateOrder(probs) : IntStream.range(0, tokens).toArray();
                int capacity = capacityFactor > 0
                        ? Capacity.of(k, tokens, capacityFactor, experts) : tokens;
                int[][] position = Capacity.assign(choice, order, experts, capacity);

                assertThat(r.experts()).as(input).isEqualTo(choice);
                assertThat(r.positions()).as(input).isEqualTo(position);
                if (capacityFactor > 0) {
                    assertThat(r.capacity()).as(input).isEqualTo(capacity);
                }
                r.validate();
                assertWeights(r, probs, choice, position, normalize, input);
            }
        }
    }

    private static void assertWeights(Routing r, float[][] probs, int[][] choice,
            int[][] position, boolean normalize, String input) {
        float[][] weights = rows(r.weights(), probs.length);
        for (int t = 0; t < probs.length; t++) {
            double sum = 0;
            for (int e : choice[t]) {
                sum += probs[t][e];
            }
            for (int s = 0; s < choice[t].length; s++) {
                double p = probs[t][choice[t][s]] / (normalize ? sum : 1);
                double expected = position[t][s] >= 0 ? p : 0;
                assertThat(weights[t][s]).as(input + ", weight of item " + t + " slot " + s)
                        .isCloseTo((float) expected, within(1e-6f));
            }
        }
    }

    @ParameterizedTest(name = "expert choice, capacity factor {0}")
    @CsvSource({"0.5", "1.0", "2.0", "3.0"})
    void expertChoiceEqualsTheJavaReference(double capacityFactor) {
        Random random = new Random((long) (10 * capacityFactor));
        for (int trial = 0; trial < 8; trial++) {
            int tokens = 8 + random.nextInt(40);
            int experts = 2 + random.nextInt(4);
            float[][] logits = tiedLogits(random, tokens, experts);
            String input = "logits " + Arrays.deepToString(logits) + ", cf " + capacityFactor;
            try (NDManager manager = NDManager.newBaseManager()) {
                Routing r = new ExpertChoiceRouter(capacityFactor).route(manager.create(logits), false);
                int[][][] expected = expertChoice(rows(r.probs(), tokens),
                        Capacity.of(1, tokens, capacityFactor, experts));
                assertThat(r.experts()).as(input).isEqualTo(expected[0]);
                assertThat(r.positions()).as(input).isEqualTo(expected[1]);
                r.validate();
            }
        }
    }

    /** Each expert's top C items (ties to the lower item), as token-major experts and positions. */
    private static int[][][] expertChoice(float[][] probs, int capacity) {
        int tokens = probs.length;
        int experts = probs[0].length;
        java.util.List<java.util.List<int[]>> picks = new java.util.ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            picks.add(new java.util.ArrayList<>());
        }
        for (int e = 0; e < experts; e++) {
            int expert = e;
            int[] chosen = IntStream.range(0, tokens).boxed()
                    .sorted(Comparator.comparingDouble((Integer t) -> -probs[t][expert]))
                    .limit(capacity).mapToInt(Integer::intValue).toArray();
            for (int row = 0; row < chosen.length; row++) {
                picks.get(chosen[row]).add(new int[] {e, row});
            }
        }
        int slots = Math.max(1, picks.stream().mapToInt(java.util.List::size).max().orElse(0));
        int[][][] out = new int[2][tokens][slots];
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < slots; s++) {
                boolean used = s < picks.get(t).size();
                out[0][t][s] = used ? picks.get(t).get(s)[0] : -1;
                out[1][t][s] = used ? picks.get(t).get(s)[1] : -1;
            }
        }
        return out;
    }
}
