package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
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

    @Test
    @Tag("02-capacity")
    @DisplayName("ceil(k·T·cf/E): (k=1,T=8,cf=1,E=4) -> 2, (k=2,T=10,cf=1.25,E=4) -> 7, (k=1,T=4,cf=1,E=3) -> 2")
    void capacityGolden() {
        assertEquals(2, capacity(1, 8, 1.0, 4));
        assertEquals(7, capacity(2, 10, 1.25, 4));
        assertEquals(2, capacity(1, 4, 1.0, 3));
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("a capacity factor <= 0 means no dropping: every expert can take all T tokens")
    void capacityNoDropping() {
        assertTrue(capacity(1, 4, 0, 3) >= 4, "cf = 0");
        assertTrue(capacity(2, 10, -1, 4) >= 10, "cf < 0");
    }

    @Test
    @Tag("02-capacity")
    @DisplayName("agrees with ceil(k·T·cf/E) on a grid of k, T, cf, E")
    void capacityGrid() {
        for (int k = 1; k <= 2; k++) {
            for (int tokens = 4; tokens <= 64; tokens += 12) {
                for (double cf : new double[] {0.5, 1.0, 1.25, 2.0}) {
                    for (int experts = 2; experts <= 8; experts *= 2) {
                        int expected = (int) Math.ceil(k * (double) tokens * cf / experts);
                        if (expected >= 1 && expected <= tokens) {
                            assertEquals(expected, capacity(k, tokens, cf, experts),
                                    "k=" + k + " T=" + tokens + " cf=" + cf + " E=" + experts);
                        }
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

    private static final int[][] CHOICE = {{0, 1}, {0, 2}, {0, 1}, {1, 0}};

    @Test
    @Tag("02-assign")
    @DisplayName("top-2 over 3 experts, capacity 2, items in order 0..3: worked by hand, slot-major")
    void assignGolden() {
        int[][] expected = {{0, 1}, {1, 0}, {-1, -1}, {0, -1}};
        assertArrayEquals(expected, assign(CHOICE, new int[] {0, 1, 2, 3}, 3, 2));
    }

    @Test
    @Tag("02-assign")
    @DisplayName("the order decides who gets a seat: the same choices served in order 3, 2, 1, 0")
    void assignFollowsOrder() {
        int[][] expected = {{-1, -1}, {1, 0}, {0, 1}, {0, -1}};
        assertArrayEquals(expected, assign(CHOICE, new int[] {3, 2, 1, 0}, 3, 2));
    }

    @Test
    @Tag("02-assign")
    @DisplayName("on random choices: never more than capacity per expert, unused slots (-1) stay -1, same as moelab's Capacity.assign")
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
            for (int t = 0; t < tokens; t++) {
                for (int s = 0; s < slots; s++) {
                    if (got[t][s] >= 0) {
                        load[choice[t][s]]++;
                    }
                }
            }
            for (int e = 0; e < experts; e++) {
                assertTrue(load[e] <= capacity, "expert " + e + " holds " + load[e] + " > capacity " + capacity);
            }
            assertArrayEquals(Capacity.assign(choice, order, experts, capacity), got,
                    "choice " + Arrays.deepToString(choice) + ", order " + Arrays.toString(order) + ", capacity " + capacity);
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

    private int[] priority(float[][] probs) {
        return Student.method("priorityOrder", NDArray.class).call(int[].class, manager.create(probs));
    }

    @Test
    @Tag("02-priority")
    @DisplayName("top probabilities .5, .9, .4, .8 give the order [1, 3, 0, 2]")
    void priorityGolden() {
        float[][] probs = {{0.2f, 0.5f, 0.3f}, {0.9f, 0.05f, 0.05f}, {0.4f, 0.4f, 0.2f}, {0.1f, 0.1f, 0.8f}};
        assertArrayEquals(new int[] {1, 3, 0, 2}, priority(probs));
    }

    @Test
    @Tag("02-priority")
    @DisplayName("ties go to the lower index: tops .5, .6, .5 give [1, 0, 2]")
    void priorityTies() {
        assertArrayEquals(new int[] {1, 0, 2}, priority(new float[][] {{0.5f, 0.5f}, {0.6f, 0.4f}, {0.5f, 0.5f}}));
    }

    @Test
    @Tag("02-priority")
    @DisplayName("on random probabilities: a permutation of the items, top probability never increasing")
    void priorityProperty() {
        NDArray probs = manager.randomUniform(0, 1, new Shape(16, 4)).softmax(-1);
        float[] top = probs.max(new int[] {1}).toFloatArray();
        int[] order = Student.method("priorityOrder", NDArray.class).call(int[].class, probs);
        assertArrayEquals(java.util.stream.IntStream.range(0, 16).toArray(), Arrays.stream(order).sorted().toArray(),
                "a permutation of 0..15");
        for (int i = 1; i < order.length; i++) {
            assertTrue(top[order[i - 1]] >= top[order[i]], "position " + i + " of " + Arrays.toString(order));
        }
    }
}
