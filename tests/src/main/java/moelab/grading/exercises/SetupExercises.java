package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.grading.Student.StudentMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 01-setup.ipynb}: softmax, top-k, capacity, causal mean. */
@Forbids(exercise = "01-softmax", value = {"ai.djl.ndarray.NDArray#softmax", "ai.djl.ndarray.NDArray#logSoftmax", "ai.djl.ndarray.internal.NDArrayEx#softmax", "ai.djl.ndarray.internal.NDArrayEx#logSoftmax"})
@Forbids(exercise = "01-topk", value = {"ai.djl.ndarray.NDArray#topK", "moelab.routing.TopKRouter", "moelab.routing.Slots"})
@Forbids(exercise = "01-capacity", value = {"moelab.routing.Capacity", "moelab.routing.Slots"})
@Forbids(exercise = "01-causal-mean", value = {"moelab.mixing.CausalMask"})
class SetupExercises extends NDArrayExercises {

    // ---- 01-softmax: NDArray softmax(NDArray logits), along the last axis -------------------------

    private NDArray softmax(NDArray logits) {
        StudentMethod m = Student.method("softmax", NDArray.class);
        return m.call(NDArray.class, logits);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("softmax of [[0, ln 2, ln 3], [5, 5, 5]] is [[1/6, 2/6, 3/6], [1/3, 1/3, 1/3]]")
    void softmaxGolden() {
        float ln2 = (float) Math.log(2);
        float ln3 = (float) Math.log(3);
        NDArray p = softmax(manager.create(new float[] {0, ln2, ln3, 5, 5, 5}, new Shape(2, 3)));
        assertEquals(new Shape(2, 3), p.getShape(), "output shape");
        assertArrayEquals(new float[] {1 / 6f, 2 / 6f, 3 / 6f, 1 / 3f, 1 / 3f, 1 / 3f}, p.toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("each row of a (4, 7) softmax is positive and sums to 1 (normalise along the last axis)")
    void softmaxRowsSumToOne() {
        NDArray logits = manager.randomNormal(0, 2, new Shape(4, 7), DataType.FLOAT32);
        float[] p = softmax(logits).toFloatArray();
        assertEquals(28, p.length, "output size");
        for (int row = 0; row < 4; row++) {
            float sum = 0;
            for (int j = 0; j < 7; j++) {
                assertTrue(p[row * 7 + j] > 0, "probabilities are positive");
                sum += p[row * 7 + j];
            }
            assertEquals(1f, sum, 1e-5f, "row " + row + " sums to");
        }
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("large logits [1000, 1000, 990] give finite probabilities (subtract the row maximum)")
    void softmaxIsStable() {
        float[] p = softmax(manager.create(new float[][] {{1000, 1000, 990}})).toFloatArray();
        double e = Math.exp(-10);
        assertArrayEquals(new float[] {(float) (1 / (2 + e)), (float) (1 / (2 + e)), (float) (e / (2 + e))}, p, 1e-6f);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("softmax works on any rank: (2, 3, 4) normalised along the last axis")
    void softmaxAnyRank() {
        NDArray p = softmax(manager.randomNormal(new Shape(2, 3, 4)));
        assertEquals(new Shape(2, 3, 4), p.getShape());
        float[] sums = p.sum(new int[] {-1}).toFloatArray();
        for (float s : sums) {
            assertEquals(1f, s, 1e-5f);
        }
    }

    // ---- 01-topk: NDArray topKIndices(NDArray scores, int k), (T, E) -> (T, k) ------------------------

    private long[][] topK(float[][] scores, int k) {
        StudentMethod m = Student.method("topKIndices", NDArray.class, int.class);
        NDArray out = m.call(NDArray.class, manager.create(scores), k);
        assertEquals(new Shape(scores.length, k), out.getShape(), "output shape (T, k)");
        long[] flat = out.toType(DataType.INT64, false).toLongArray();
        long[][] rows = new long[scores.length][];
        for (int t = 0; t < scores.length; t++) {
            rows[t] = Arrays.copyOfRange(flat, t * k, (t + 1) * k);
        }
        return rows;
    }

    @Test
    @Tag("01-topk")
    @DisplayName("top-2 of 4 tokens over 3 experts, worked by hand, best expert first")
    void topKGolden() {
        float[][] scores = {
            {0.1f, 0.7f, 0.2f},
            {0.5f, 0.3f, 0.2f},
            {0.3f, 0.1f, 0.6f},
            {0.05f, 0.15f, 0.8f},
        };
        long[][] expected = {{1, 2}, {0, 1}, {2, 0}, {2, 1}};
        assertArrayEquals(expected, topK(scores, 2));
    }

    @Test
    @Tag("01-topk")
    @DisplayName("top-1 is the argmax of each row")
    void topOneIsArgMax() {
        float[][] scores = {{3, 1, 2, 0}, {-1, -2, -0.5f, -3}};
        assertArrayEquals(new long[][] {{0}, {2}}, topK(scores, 1));
    }

    @Test
    @Tag("01-topk")
    @DisplayName("on random scores the k picked experts are distinct, sorted, and beat every other expert")
    void topKProperty() {
        Random random = new Random(7);
        float[][] scores = new float[16][8];
        for (float[] row : scores) {
            for (int e = 0; e < row.length; e++) {
                row[e] = (float) random.nextGaussian();
            }
        }
        long[][] picked = topK(scores, 3);
        for (int t = 0; t < scores.length; t++) {
            float[] sorted = scores[t].clone();
            Arrays.sort(sorted);
            for (int s = 0; s < 3; s++) {
                assertEquals(sorted[sorted.length - 1 - s], scores[t][(int) picked[t][s]], "token " + t + " slot " + s);
            }
        }
    }

    // ---- 01-capacity: int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) -------

    private int[] positions(int[] expertOfToken, int numExperts, int capacity) {
        StudentMethod m = Student.method("bufferPositions", int[].class, int.class, int.class);
        return m.call(int[].class, expertOfToken.clone(), numExperts, capacity);
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("experts [0,1,0,0,1,2], capacity 2: positions [0,0,1,-1,1,0] (the 3rd token for expert 0 is dropped)")
    void capacityGolden() {
        assertArrayEquals(new int[] {0, 0, 1, -1, 1, 0}, positions(new int[] {0, 1, 0, 0, 1, 2}, 3, 2));
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("capacity 0 drops every token; a large capacity drops none")
    void capacityExtremes() {
        int[] experts = {2, 2, 0, 1, 2};
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1}, positions(experts, 3, 0));
        assertArrayEquals(new int[] {0, 1, 0, 0, 2}, positions(experts, 3, 10));
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("on random assignments no expert gets more than its capacity and the first tokens are served first")
    void capacityProperty() {
        Random random = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int experts = 1 + random.nextInt(5);
            int capacity = random.nextInt(6);
            int[] assignment = random.ints(30, 0, experts).toArray();
            int[] pos = positions(assignment, experts, capacity);
            int[] seen = new int[experts];
            for (int t = 0; t < assignment.length; t++) {
                int e = assignment[t];
                int expected = seen[e] < capacity ? seen[e] : -1;
                seen[e]++;
                assertEquals(expected, pos[t], "token " + t + " (expert " + e + ", capacity " + capacity + ")");
            }
        }
    }

    // ---- 01-causal-mean: NDArray causalMean(NDArray x), (T, d) -> (T, d) --------------------------

    private NDArray causalMean(NDArray x) {
        return Student.method("causalMean", NDArray.class).call(NDArray.class, x);
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("causal mean of [[1,2],[3,4],[5,6]] is [[1,2],[2,3],[3,4]]")
    void causalMeanGolden() {
        NDArray y = causalMean(manager.create(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        assertEquals(new Shape(3, 2), y.getShape(), "output shape");
        assertArrayEquals(new float[] {1, 2, 2, 3, 3, 4}, y.toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("no token sees the future: changing tokens after t leaves outputs 0..t unchanged")
    void causalMeanDoesNotLeak() {
        NDArray x = manager.randomNormal(new Shape(6, 3));
        float[] before = causalMean(x).toFloatArray();
        for (int t = 0; t < 5; t++) {
            NDArray changed = x.duplicate();
            changed.set(new ai.djl.ndarray.index.NDIndex((t + 1) + ":, :"), 100f);
            float[] after = causalMean(changed).toFloatArray();
            assertArrayEquals(Arrays.copyOf(before, (t + 1) * 3), Arrays.copyOf(after, (t + 1) * 3), 1e-5f,
                    "outputs 0.." + t + " changed when only later tokens changed");
        }
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("the last output is the mean of all tokens; the first is the first token")
    void causalMeanEnds() {
        NDArray x = manager.randomNormal(new Shape(5, 4));
        NDArray y = causalMean(x);
        assertArrayEquals(x.mean(new int[] {0}).toFloatArray(), y.get(4).toFloatArray(), 1e-5f, "last row");
        assertArrayEquals(x.get(0).toFloatArray(), y.get(0).toFloatArray(), 1e-6f, "first row");
    }
}
