package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertClose;
import static moelab.grading.exercises.ArrayMessages.assertSame;
import static moelab.grading.exercises.ArrayMessages.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import moelab.grading.Forbids;
import moelab.grading.Student;
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
        NDArray p = Student.method("softmax", NDArray.class).call(NDArray.class, logits);
        assertEquals(logits.getShape(), p.getShape(), "softmax" + show(logits) + ": output shape (the input's)");
        return p;
    }

    /** Checks softmax(logits) against the expected rows, naming both in the message. */
    private void softmaxIs(float[][] logits, float[] expected, float tolerance) {
        NDArray in = manager.create(logits);
        assertClose(expected, softmax(in).toFloatArray(), tolerance, "softmax(" + Arrays.deepToString(logits) + ")");
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("softmax of [[0, ln 2, ln 3], [5, 5, 5]] is [[1/6, 2/6, 3/6], [1/3, 1/3, 1/3]]")
    void softmaxGolden() {
        float ln2 = (float) Math.log(2);
        float ln3 = (float) Math.log(3);
        softmaxIs(new float[][] {{0, ln2, ln3}, {5, 5, 5}}, new float[] {1 / 6f, 2 / 6f, 3 / 6f, 1 / 3f, 1 / 3f, 1 / 3f}, 1e-5f);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("each row of a random (4, 7) softmax is positive and sums to 1 (normalise along the last axis)")
    void softmaxRowsSumToOne() {
        NDArray logits = manager.randomNormal(0, 2, new Shape(4, 7), DataType.FLOAT32);
        float[] p = softmax(logits).toFloatArray();
        for (int row = 0; row < 4; row++) {
            float[] slice = Arrays.copyOfRange(p, row * 7, row * 7 + 7);
            float sum = 0;
            for (float v : slice) {
                assertTrue(v > 0, "softmax" + show(logits) + ": row " + row + " = " + Arrays.toString(slice) + " has an entry <= 0");
                sum += v;
            }
            assertClose(1f, sum, 1e-5f, "softmax" + show(logits) + ": sum of row " + row + " " + Arrays.toString(slice));
        }
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("large logits [[1000, 1000, 990]] give finite probabilities (subtract the row maximum)")
    void softmaxIsStable() {
        double e = Math.exp(-10);
        softmaxIs(new float[][] {{1000, 1000, 990}}, new float[] {(float) (1 / (2 + e)), (float) (1 / (2 + e)), (float) (e / (2 + e))}, 1e-6f);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("rows on different scales, [[0, 0], [1000, 1000]] -> all 1/2 and [[-1000, 0, 1000]] -> [0, 0, 1] (subtract each row's own maximum)")
    void softmaxExtremeRows() {
        softmaxIs(new float[][] {{0, 0}, {1000, 1000}}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 1e-6f);
        softmaxIs(new float[][] {{-1000, 0, 1000}}, new float[] {0, 0, 1}, 1e-6f);
        softmaxIs(new float[][] {{-1000, -1000}}, new float[] {0.5f, 0.5f}, 1e-6f);
    }

    @Test
    @Tag("01-softmax")
    @DisplayName("softmax works on any rank: a random (2, 3, 4) array normalised along the last axis")
    void softmaxAnyRank() {
        NDArray logits = manager.randomNormal(new Shape(2, 3, 4));
        NDArray p = softmax(logits);
        float[] sums = p.sum(new int[] {-1}).toFloatArray();
        float[] ones = new float[6];
        Arrays.fill(ones, 1f);
        assertClose(ones, sums, 1e-5f, "softmax" + show(logits) + " = " + show(p) + ", sums over the last axis");
    }

    // ---- 01-topk: NDArray topKIndices(NDArray scores, int k), (T, E) -> (T, k) ------------------------

    private long[][] topK(float[][] scores, int k) {
        NDArray out = Student.method("topKIndices", NDArray.class, int.class).call(NDArray.class, manager.create(scores), k);
        String call = "topKIndices(" + Arrays.deepToString(scores) + ", k=" + k + ")";
        assertEquals(new Shape(scores.length, k), out.getShape(), call + ": output shape (T, k)");
        long[] flat = out.toType(DataType.INT64, false).toLongArray();
        long[][] rows = new long[scores.length][];
        for (int t = 0; t < scores.length; t++) {
            rows[t] = Arrays.copyOfRange(flat, t * k, (t + 1) * k);
        }
        return rows;
    }

    /** The picked experts are distinct and their scores are the k largest, in decreasing order (any tie order). */
    private void checkTopK(float[][] scores, int k) {
        long[][] picked = topK(scores, k);
        String call = "topKIndices(" + Arrays.deepToString(scores) + ", k=" + k + ") = " + Arrays.deepToString(picked);
        for (int t = 0; t < scores.length; t++) {
            float[] sorted = scores[t].clone();
            Arrays.sort(sorted);
            float[] expected = new float[k];
            float[] got = new float[k];
            for (int s = 0; s < k; s++) {
                long e = picked[t][s];
                assertTrue(e >= 0 && e < scores[t].length, call + ": row " + t + " picks expert " + e + ", outside 0.." + (scores[t].length - 1));
                assertEquals(k, Arrays.stream(picked[t]).distinct().count(), call + ": row " + t + " picks an expert twice");
                expected[s] = sorted[sorted.length - 1 - s];
                got[s] = scores[t][(int) e];
            }
            assertClose(expected, got, 0f, call + ": scores of the experts picked in row " + t);
        }
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
        assertSame(new long[][] {{1, 2}, {0, 1}, {2, 0}, {2, 1}}, topK(scores, 2), "topKIndices(" + Arrays.deepToString(scores) + ", k=2)");
    }

    @Test
    @Tag("01-topk")
    @DisplayName("top-1 is the argmax of each row, negative scores and extreme scores [-1000, 1000, 0] included")
    void topOneIsArgMax() {
        float[][] scores = {{3, 1, 2, 0}, {-1, -2, -0.5f, -3}};
        assertSame(new long[][] {{0}, {2}}, topK(scores, 1), "topKIndices(" + Arrays.deepToString(scores) + ", k=1)");
        float[][] extreme = {{-1000, 1000, 0}};
        assertSame(new long[][] {{1, 2, 0}}, topK(extreme, 3), "topKIndices(" + Arrays.deepToString(extreme) + ", k=3)");
    }

    @Test
    @Tag("01-topk")
    @DisplayName("ties: [0.5, 0.5, 0.1, 0.5] with k = 2 picks two different experts that both score 0.5")
    void topKTies() {
        checkTopK(new float[][] {{0.5f, 0.5f, 0.1f, 0.5f}, {0.2f, 0.2f, 0.2f, 0.2f}}, 2);
    }

    @Test
    @Tag("01-topk")
    @DisplayName("on random (16, 8) scores with k = 3: distinct experts whose scores are the 3 largest, best first")
    void topKProperty() {
        Random random = new Random(7);
        float[][] scores = new float[16][8];
        for (float[] row : scores) {
            for (int e = 0; e < row.length; e++) {
                row[e] = (float) random.nextGaussian();
            }
        }
        checkTopK(scores, 3);
    }

    // ---- 01-capacity: int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) -------

    private int[] positions(int[] expertOfToken, int numExperts, int capacity) {
        return Student.method("bufferPositions", int[].class, int.class, int.class)
                .call(int[].class, expertOfToken.clone(), numExperts, capacity);
    }

    private void positionsAre(int[] expected, int[] expertOfToken, int numExperts, int capacity) {
        assertSame(expected, positions(expertOfToken, numExperts, capacity),
                "bufferPositions(" + Arrays.toString(expertOfToken) + ", numExperts=" + numExperts + ", capacity=" + capacity + ")");
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("experts [0,1,0,0,1,2], capacity 2: positions [0,0,1,-1,1,0] (the 3rd token for expert 0 is dropped)")
    void capacityGolden() {
        positionsAre(new int[] {0, 0, 1, -1, 1, 0}, new int[] {0, 1, 0, 0, 1, 2}, 3, 2);
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("capacity 0 drops every token; a capacity above T drops none; no tokens give []; unchosen experts stay empty")
    void capacityExtremes() {
        int[] experts = {2, 2, 0, 1, 2};
        positionsAre(new int[] {-1, -1, -1, -1, -1}, experts, 3, 0);
        positionsAre(new int[] {0, 1, 0, 0, 2}, experts, 3, 10);
        positionsAre(new int[] {}, new int[] {}, 3, 2);
        positionsAre(new int[] {0, 1, -1, 0}, new int[] {4, 4, 4, 0}, 5, 2);
    }

    @Test
    @Tag("01-capacity")
    @DisplayName("on 20 random assignments no expert gets more than its capacity and the first tokens are served first")
    void capacityProperty() {
        Random random = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int experts = 1 + random.nextInt(5);
            int capacity = random.nextInt(6);
            int[] assignment = random.ints(30, 0, experts).toArray();
            int[] expected = new int[assignment.length];
            int[] seen = new int[experts];
            for (int t = 0; t < assignment.length; t++) {
                int e = assignment[t];
                expected[t] = seen[e] < capacity ? seen[e] : -1;
                seen[e]++;
            }
            positionsAre(expected, assignment, experts, capacity);
        }
    }

    // ---- 01-causal-mean: NDArray causalMean(NDArray x), (T, d) -> (T, d) --------------------------

    private NDArray causalMean(NDArray x) {
        NDArray y = Student.method("causalMean", NDArray.class).call(NDArray.class, x);
        assertEquals(x.getShape(), y.getShape(), "causalMean" + show(x) + ": output shape (T, d)");
        return y;
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("causal mean of [[1,2],[3,4],[5,6]] is [[1,2],[2,3],[3,4]]; of one token [[7, -1]] it is [[7, -1]]")
    void causalMeanGolden() {
        NDArray x = manager.create(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertClose(new float[] {1, 2, 2, 3, 3, 4}, causalMean(x).toFloatArray(), 1e-5f, "causalMean([[1,2],[3,4],[5,6]])");
        NDArray one = manager.create(new float[][] {{7, -1}});
        assertClose(new float[] {7, -1}, causalMean(one).toFloatArray(), 1e-5f, "causalMean([[7, -1]])");
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("no token sees the future: setting tokens after t to 100 leaves outputs 0..t unchanged")
    void causalMeanDoesNotLeak() {
        NDArray x = manager.randomNormal(new Shape(6, 3));
        float[] before = causalMean(x).toFloatArray();
        for (int t = 0; t < 5; t++) {
            NDArray changed = x.duplicate();
            changed.set(new NDIndex((t + 1) + ":, :"), 100f);
            float[] after = causalMean(changed).toFloatArray();
            assertClose(Arrays.copyOf(before, (t + 1) * 3), Arrays.copyOf(after, (t + 1) * 3), 1e-5f,
                    "causalMean of x = " + show(x) + " with rows " + (t + 1) + ".. set to 100: outputs 0.." + t
                            + " changed (they read the future)");
        }
    }

    @Test
    @Tag("01-causal-mean")
    @DisplayName("on a random (5, 4) input the last output is the mean of all tokens; the first is the first token")
    void causalMeanEnds() {
        NDArray x = manager.randomNormal(new Shape(5, 4));
        NDArray y = causalMean(x);
        assertClose(x.mean(new int[] {0}).toFloatArray(), y.get(4).toFloatArray(), 1e-5f, "causalMean" + show(x) + ", last row");
        assertClose(x.get(0).toFloatArray(), y.get(0).toFloatArray(), 1e-6f, "causalMean" + show(x) + ", first row");
    }
}
