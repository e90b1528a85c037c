package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.routing.Capacity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 02-routers.ipynb}: the capacity formula, seat assignment, priority order. */
@Forbids(exercise = "02-capacity", value = {"moelab.routing.Capacity"})
@Forbids(exercise = "02-assign", value = {"moelab.routing.Capacity#assign", "moelab.routing.Slots"})
@Forbids(exercise = "02-priority", value = {"moelab.routing.Priority", "moelab.routing.BatchPriorityRouter"})
class RoutersExercises extends NDArrayExercises {

    // ---- 02-capacity: int capacity(int k, int tokens, double capacityFactor, int experts) ---------

    private static int capacity(int k, int tokens, double capacityFactor, int experts) {
        return Student.method("capacity", int.class, int.class, double.class, int.class)
                .call(Integer.class, k, tokens, capacityFactor, experts);
    }

    private static void capacityIs(int expected, int k, int tokens, double capacityFactor, int experts) {
        assertSame(expected, capacity(k, tokens, capacityFactor, experts),
                "capacity(k=" + k + ", tokens=" + tokens + ", capacityFactor=" + capacityFactor + ", experts=" + experts + ")");
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("ceil(k·T·cf/E): (k=1,T=8,cf=1,E=4) -> 2, (k=2,T=10,cf=1.25,E=4) -> 7, (k=1,T=4,cf=1,E=3) -> 2")
    void capacityGolden() {
        capacityIs(2, 1, 8, 1.0, 4);
        capacityIs(7, 2, 10, 1.25, 4);
        capacityIs(2, 1, 4, 1.0, 3);
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("a capacity factor <= 0 means no dropping: cf = 0 and cf = -1 give C = T")
    void capacityNoDropping() {
        capacityIs(4, 1, 4, 0, 3);
        capacityIs(10, 2, 10, -1, 4);
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("C is clamped to 1..T: (k=1,T=2,cf=0.1,E=8) -> 1 and (k=2,T=4,cf=2,E=1) -> 4")
    void capacityClamped() {
        capacityIs(1, 1, 2, 0.1, 8);
        capacityIs(4, 2, 4, 2.0, 1);
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("agrees with ceil(k·T·cf/E) on a grid of k in {1,2}, T in 4..64, cf in {0.5,1,1.25,2}, E in {2,4,8}")
    void capacityGrid() {
        for (int k = 1; k <= 2; k++) {
            for (int tokens = 4; tokens <= 64; tokens += 12) {
                for (double cf : new double[] {0.5, 1.0, 1.25, 2.0}) {
                    for (int experts = 2; experts <= 8; experts *= 2) {
                        int expected = (int) Math.ceil(k * (double) tokens * cf / experts);
                        capacityIs(Math.max(1, Math.min(expected, tokens)), k, tokens, cf, experts);
                    }
                }
            }
        }
    }

    // ---- 02-assign: int[][] assignPositions(int[][] choice, int[] order, int experts, int capacity) --

    private static int[][] assign(int[][] choice, int[] order, int experts, int capacity) {
        int[][] copy = Arrays.stream(choice).map(int[]::clone).toArray(int[][]::new);
        return Student.method("assignPositions", int[][].class, int[].class, int.class, int.class)
                .call(int[][].class, copy, order.clone(), experts, capacity);
    }

    private static void assignIs(int[][] expected, int[][] choice, int[] order, int experts, int capacity) {
        assertSame(expected, assign(choice, order, experts, capacity), "assignPositions(choice=" + Arrays.deepToString(choice)
                + ", order=" + Arrays.toString(order) + ", experts=" + experts + ", capacity=" + capacity + ")");
    }

    private static final int[][] CHOICE = {{0, 1}, {0, 2}, {0, 1}, {1, 0}};

    @Test
    @Tag("02-assign")
    @DisplayName("top-2 over 3 experts, capacity 2, items in order 0..3: worked by hand, slot-major")
    void assignGolden() {
        assignIs(new int[][] {{0, 1}, {1, 0}, {-1, -1}, {0, -1}}, CHOICE, new int[] {0, 1, 2, 3}, 3, 2);
    }

    @Test
    @Tag("02-assign")
    @DisplayName("the order decides who gets a seat: the same choices served in order 3, 2, 1, 0")
    void assignFollowsOrder() {
        assignIs(new int[][] {{-1, -1}, {1, 0}, {0, 1}, {0, -1}}, CHOICE, new int[] {3, 2, 1, 0}, 3, 2);
    }

    @Test
    @Tag("02-assign")
    @DisplayName("unused slots (-1) stay -1 and take no seat; capacity 0 drops all; unchosen experts and no items are fine")
    void assignEdgeCases() {
        int[][] withUnused = {{2, -1}, {-1, -1}, {2, 0}, {0, 2}};
        assignIs(new int[][] {{0, -1}, {-1, -1}, {1, 1}, {0, -1}}, withUnused, new int[] {0, 1, 2, 3}, 4, 2);
        assignIs(new int[][] {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}, withUnused, new int[] {0, 1, 2, 3}, 4, 0);
        assignIs(new int[][] {}, new int[][] {}, new int[] {}, 3, 2);
    }

    @Test
    @Tag("02-assign")
    @DisplayName("on 20 random choices (some slots -1): never more than capacity per expert, same as moelab's Capacity.assign")
    void assignProperty() {
        Random random = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int tokens = 1 + random.nextInt(12);
            int experts = 1 + random.nextInt(4);
            int slots = 1 + random.nextInt(2);
            int capacity = random.nextInt(4);
            int[][] choice = new int[tokens][slots];
            for (int[] row : choice) {
                for (int s = 0; s < slots; s++) {
                    row[s] = random.nextInt(10) == 0 ? -1 : random.nextInt(experts);
                }
            }
            int[] order = shuffled(tokens, random);
            int[][] got = assign(choice, order, experts, capacity);
            int[] load = new int[experts];
            for (int t = 0; t < tokens && t < got.length; t++) {
                for (int s = 0; s < slots && s < got[t].length; s++) {
                    if (got[t][s] >= 0 && choice[t][s] >= 0) {
                        load[choice[t][s]]++;
                    }
                }
            }
            String call = "assignPositions(choice=" + Arrays.deepToString(choice) + ", order=" + Arrays.toString(order)
                    + ", experts=" + experts + ", capacity=" + capacity + ") = " + Arrays.deepToString(got);
            for (int e = 0; e < experts; e++) {
                assertTrue(load[e] <= capacity, call + ": expert " + e + " holds " + load[e] + " > capacity " + capacity);
            }
            assertSame(Capacity.assign(choice, order, experts, capacity), got, call.substring(0, call.lastIndexOf(" = ")));
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    // ---- 02-priority: int[] priorityOrder(NDArray probs) -------------------------------------------

    private int[] priority(NDArray probs) {
        return Student.method("priorityOrder", NDArray.class).call(int[].class, probs);
    }

    private void priorityIs(int[] expected, float[][] probs) {
        assertSame(expected, priority(manager.create(probs)), "priorityOrder(" + Arrays.deepToString(probs) + ")");
    }

    @Test
    @Tag("02-priority")
    @DisplayName("top probabilities .5, .9, .4, .8 give the order [1, 3, 0, 2]")
    void priorityGolden() {
        priorityIs(new int[] {1, 3, 0, 2}, new float[][] {{0.2f, 0.5f, 0.3f}, {0.9f, 0.05f, 0.05f}, {0.4f, 0.4f, 0.2f}, {0.1f, 0.1f, 0.8f}});
    }

    @Test
    @Tag("02-priority")
    @DisplayName("ties go to the lower index: tops .5, .6, .5 give [1, 0, 2]; a single item gives [0]")
    void priorityTies() {
        priorityIs(new int[] {1, 0, 2}, new float[][] {{0.5f, 0.5f}, {0.6f, 0.4f}, {0.5f, 0.5f}});
        priorityIs(new int[] {0}, new float[][] {{0.3f, 0.7f}});
    }

    @Test
    @Tag("02-priority")
    @DisplayName("extreme logits: softmax of [[0,0],[1000,0],[0,1000]] (tops .5, 1, 1) gives [1, 2, 0]")
    void priorityExtreme() {
        NDArray probs = manager.create(new float[][] {{0, 0}, {1000, 0}, {0, 1000}}).softmax(-1);
        assertSame(new int[] {1, 2, 0}, priority(probs), "priorityOrder(softmax([[0, 0], [1000, 0], [0, 1000]]) = "
                + Arrays.toString(probs.toFloatArray()) + ")");
    }

    @Test
    @Tag("02-priority")
    @DisplayName("on random (16, 4) probabilities: the items sorted by top probability, highest first, ties by index")
    void priorityProperty() {
        manager.getEngine().setRandomSeed(12);
        NDArray probs = manager.randomUniform(0, 1, new Shape(16, 4)).softmax(-1);
        float[] top = probs.max(new int[] {1}).toFloatArray();
        int[] expected = IntStream.range(0, 16).boxed().sorted(Comparator.comparingDouble(t -> -top[t])).mapToInt(Integer::intValue).toArray();
        assertSame(expected, priority(probs), "priorityOrder of probabilities whose row maxima are " + Arrays.toString(top));
    }
}
