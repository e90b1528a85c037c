package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Random;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.mixing.SpatialMoe;
import moelab.moe.MoeLayer;
import moelab.routing.BaseRouter;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercises of {@code 10-smlp-in-full.ipynb}: sMLP's sMoE as one batched matmul, a causal tMoE
 * (top-1, no capacity), and BASE layers' balanced assignment solved exactly.
 */
@Forbids(exercise = "10-smoe", value = {"moelab.mixing.SpatialMoe", "moelab.mixing.SpatialProjection",
        "moelab.mixing.SpatialGatingUnit", "moelab.routing.DeterministicRouter"})
@Forbids(exercise = "10-tmoe-causal", value = {"moelab.moe.MoeLayer", "moelab.routing.SwitchRouter",
        "moelab.routing.TopKRouter", "moelab.routing.GShardRouter", "moelab.routing.BaseRouter",
        "moelab.routing.HashRouter", "moelab.routing.BatchPriorityRouter", "moelab.routing.ExpertChoiceRouter",
        "moelab.experts.Experts", "moelab.mixing.FeedForward"})
@Forbids(exercise = "10-exact-assignment", value = {"moelab.routing.BaseRouter", "moelab.routing.LinearAssignment"})
class SmlpInFullExercises extends NDArrayExercises {

    private NDArray smoe(NDArray x, NDArray w, NDArray b) {
        return Student.method("smoe", NDArray.class, NDArray.class, NDArray.class).call(NDArray.class, x, w, b);
    }

    private NDArray tmoe(NDArray x, NDArray gate, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
        return Student.method("causalTokenMoe", NDArray.class, NDArray.class, NDArray.class, NDArray.class,
                NDArray.class, NDArray.class).call(NDArray.class, x, gate, w1, b1, w2, b2);
    }

    private int[] assignment(float[][] scores) {
        return Student.method("balancedAssignment", float[][].class).call(int[].class, (Object) scores);
    }

    // ---- helpers: every failure names the input, the expected and the actual value -----------------

    /** Up to 24 values around index {@code at}, for messages. */
    private static String window(float[] values, int at) {
        if (values.length <= 24) {
            return Arrays.toString(values);
        }
        int from = Math.max(0, Math.min(at - 6, values.length - 24));
        return "[..." + from + ": " + Arrays.toString(Arrays.copyOfRange(values, from, from + 24)) + " ...]";
    }

    private static void assertClose(String input, NDArray expected, NDArray actual, float tolerance) {
        assertNotNull(actual, input + ": returned null");
        assertEquals(expected.getShape(), actual.getShape(), input + ": expected shape " + expected.getShape()
                + ", got " + actual.getShape());
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tolerance * Math.max(1f, Math.abs(e[i])))) {
                fail(input + ": first difference at flat index " + i + " (shape " + expected.getShape()
                        + "): expected " + e[i] + ", got " + a[i] + "\n  expected " + window(e, i)
                        + "\n  actual   " + window(a, i));
            }
        }
    }

    /** The largest |a - b| over positions {@code [from, to)} of axis 1 of (B, T, d) arrays, batch row {@code row}. */
    private static float change(NDArray a, NDArray b, int row, int from, int to) {
        if (from >= to) {
            return 0f;
        }
        String index = row + ", " + from + ":" + to + ", :";
        return a.get(index).sub(b.get(index)).abs().max().getFloat();
    }

    // ---- 10-smoe: NDArray smoe(NDArray x (B,T,d), NDArray w (E,T,T), NDArray b (E,T)) ---------------

    @Test
    @Tag("10-smoe")
    @DisplayName("golden: B=1, T=3, d=2, E=2; expert 0 = all-ones W, b=[1,2,3]; expert 1 = all-twos W, b=0")
    void smoeGolden() {
        // channel 0 (chunk 0 -> expert 0): x = [1, 10, 100]; channel 1 (chunk 1 -> expert 1): x = [2, 20, 200]
        NDArray x = manager.create(new float[] {1, 2, 10, 20, 100, 200}).reshape(1, 3, 2);
        NDArray w = manager.ones(new Shape(3, 3)).stack(manager.full(new Shape(3, 3), 2f));    // (E=2, 3, 3)
        NDArray b = manager.create(new float[] {1, 2, 3, 0, 0, 0}).reshape(2, 3);
        // expert 0: causal cumulative sums [1, 11, 111] + [1, 2, 3]; expert 1: 2 x [2, 22, 222]
        NDArray expected = manager.create(new float[] {2, 4, 13, 44, 114, 444}).reshape(1, 3, 2);
        assertClose("x[0,:,0]=[1,10,100], x[0,:,1]=[2,20,200], W_0 = ones (upper triangle must be masked), "
                + "b_0=[1,2,3], W_1 = 2·ones, b_1=0", expected, smoe(x, w, b), 1e-5f);
    }

    @Test
    @Tag("10-smoe")
    @DisplayName("causal: changing only position t' leaves every output t < t' unchanged (B=2, T=7, d=8, E=4)")
    void smoeIsCausal() {
        manager.getEngine().setRandomSeed(101);
        int t = 7;
        NDArray x = manager.randomNormal(new Shape(2, t, 8));
        NDArray w = manager.randomNormal(new Shape(4, t, t));
        NDArray b = manager.randomNormal(new Shape(4, t));
        NDArray before = smoe(x, w, b);
        for (int cut = 1; cut < t; cut++) {
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, " + cut + ", :"), manager.randomNormal(new Shape(2, 8)).mul(5));
            NDArray after = smoe(changed, w, b);
            for (int row = 0; row < 2; row++) {
                float past = change(before, after, row, 0, cut);
                assertTrue(past <= 1e-6f, "random x (2, 7, 8), W (4, 7, 7), b (4, 7); x[:, " + cut
                        + ", :] replaced: outputs at positions 0.." + (cut - 1) + " of sequence " + row
                        + " must not change (expected max change 0), got " + past
                        + ". Does position t read position t+1? Mask W with the lower triangle s <= t.");
            }
            float here = change(before, after, 0, cut, cut + 1);
            assertTrue(here > 1e-3f, "x[:, " + cut + ", :] replaced: the output at position " + cut
                    + " should change (W[t, t] is on the diagonal), but its max change is " + here);
        }
    }

    @Test
    @Tag("10-smoe")
    @DisplayName("equals moelab's SpatialMoe given the same W (E, T, T) and b (E, T) (B=3, T=6, d=12, E=3)")
    void smoeMatchesToolkit() {
        manager.getEngine().setRandomSeed(102);
        int e = 3, t = 6, d = 12;
        NDArray x = manager.randomNormal(new Shape(3, t, d));
        NDArray w = manager.randomNormal(new Shape(e, t, t));
        NDArray b = manager.randomNormal(new Shape(e, t));
        SpatialMoe reference = new SpatialMoe(e, d, t);
        reference.initialize(manager, DataType.FLOAT32, x.getShape());
        reference.experts().weights()[0].getArray().set(w.toFloatArray());
        reference.experts().weights()[1].getArray().set(b.toFloatArray());
        NDArray expected = reference.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertClose("random x (3, 6, 12), W (3, 6, 6), b (3, 6) (seed 102), compared with SpatialMoe(E=3, d=12, L=6)",
                expected, smoe(x, w, b), 1e-4f);
    }

    @Test
    @Tag("10-smoe")
    @DisplayName("chunk i = channels [i·d/E, (i+1)·d/E) goes to expert i: with W_i = (i+1)·I, b = 0, x = 1, channel k comes out as k/(d/E) + 1")
    void smoeChunkAssignment() {
        int e = 4, t = 5, d = 8, chunk = d / e;
        NDArray eye = manager.eye(t);
        NDArray w = eye.stack(eye.mul(2)).concat(eye.mul(3).stack(eye.mul(4)), 0);     // (4, T, T): W_i = (i+1) I
        NDArray b = manager.zeros(new Shape(e, t));
        NDArray y = smoe(manager.ones(new Shape(2, t, d)), w, b);
        assertEquals(new Shape(2, t, d), y.getShape(), "x (2, 5, 8): output shape (B, T, d)");
        float[] actual = y.get("0, 0, :").toFloatArray();
        float[] expected = new float[d];
        for (int k = 0; k < d; k++) {
            expected[k] = k / chunk + 1;
        }
        for (int k = 0; k < d; k++) {
            if (Math.abs(actual[k] - expected[k]) > 1e-5) {
                fail("x = ones (2, 5, 8), E=4 chunks of 2 channels, W_i = (i+1)·I, b = 0: channel " + k
                        + " belongs to chunk " + k / chunk + " and must be mixed by expert " + k / chunk
                        + " (scale " + expected[k] + "), got " + actual[k] + ". Output at (0, 0, :): expected "
                        + Arrays.toString(expected) + ", actual " + Arrays.toString(actual));
            }
        }
        float[] all = y.toFloatArray();
        for (int i = 0; i < all.length; i++) {
            if (Math.abs(all[i] - expected[i % d]) > 1e-5) {
                fail("x = ones, W_i = (i+1)·I, b = 0: every position must repeat " + Arrays.toString(expected)
                        + ", but flat index " + i + " (position " + (i / d) % t + ", channel " + i % d + ") is "
                        + all[i]);
            }
        }
    }

    // ---- 10-tmoe-causal: NDArray causalTokenMoe(x (B,T,d), gate (d,E), w1 (E,d,h), b1 (E,h), w2 (E,h,d), b2 (E,d))

    @Test
    @Tag("10-tmoe-causal")
    @DisplayName("golden: W1 = 0 so f_e(x) = b2_e; tokens [2,0], [0,3], [1,1] (a tie: expert 0) with W_g = I give 0.881·b2_0, 0.953·b2_1, 0.5·b2_0")
    void tmoeGolden() {
        NDArray x = manager.create(new float[] {2, 0, 0, 3, 1, 1}).reshape(1, 3, 2);
        NDArray gate = manager.eye(2);
        NDArray w1 = manager.zeros(new Shape(2, 2, 1));
        NDArray b1 = manager.zeros(new Shape(2, 1));
        NDArray w2 = manager.ones(new Shape(2, 1, 2));
        NDArray b2 = manager.create(new float[] {10, 20, 30, 40}).reshape(2, 2);
        double p0 = 1 / (1 + Math.exp(-2));
        double p1 = 1 / (1 + Math.exp(-3));
        NDArray expected = manager.create(new float[] {(float) (10 * p0), (float) (20 * p0), (float) (30 * p1),
                (float) (40 * p1), 5, 10}).reshape(1, 3, 2);
        assertClose("x = [[2,0],[0,3],[1,1]], W_g = I (logits = x), W1 = 0, b1 = 0 (GELU(0) = 0), b2 = [[10,20],[30,40]]",
                expected, tmoe(x, gate, w1, b1, w2, b2), 1e-5f);
    }

    @Test
    @Tag("10-tmoe-causal")
    @DisplayName("extreme logits ±1000: the chosen expert's gate is exactly 1, no NaN")
    void tmoeExtremeLogits() {
        NDArray x = manager.create(new float[] {1, 0, 0, 1}).reshape(1, 2, 2);
        NDArray gate = manager.create(new float[] {1000, -1000, -1000, 1000}).reshape(2, 2);
        NDArray w1 = manager.zeros(new Shape(2, 2, 3));
        NDArray b1 = manager.zeros(new Shape(2, 3));
        NDArray w2 = manager.zeros(new Shape(2, 3, 2));
        NDArray b2 = manager.create(new float[] {1, 2, 3, 4}).reshape(2, 2);
        NDArray expected = manager.create(new float[] {1, 2, 3, 4}).reshape(1, 2, 2);
        assertClose("x = [[1,0],[0,1]], W_g = [[1000,-1000],[-1000,1000]] (logits ±1000), f_e(x) = b2_e = [[1,2],[3,4]]",
                expected, tmoe(x, gate, w1, b1, w2, b2), 1e-6f);
    }

    @Test
    @Tag("10-tmoe-causal")
    @DisplayName("on random inputs: equals moelab's MoeLayer with a Switch router (top-1, no capacity limit) and the same weights")
    void tmoeMatchesToolkit() {
        manager.getEngine().setRandomSeed(103);
        int e = 4, d = 6, h = 8;
        NDArray x = manager.randomNormal(new Shape(3, 5, d));
        NDArray gate = manager.randomNormal(new Shape(d, e));
        NDArray w1 = manager.randomNormal(new Shape(e, d, h));
        NDArray b1 = manager.randomNormal(new Shape(e, h));
        NDArray w2 = manager.randomNormal(new Shape(e, h, d));
        NDArray b2 = manager.randomNormal(new Shape(e, d));
        MoeLayer layer = MoeLayer.builder().setNumExperts(e).setModelDim(d).setHiddenDim(h)
                .setRouter(new SwitchRouter(0)).build();
        layer.initialize(manager, DataType.FLOAT32, x.getShape());
        layer.gate().getArray().set(gate.toFloatArray());
        var weights = layer.experts().weights();
        weights[0].getArray().set(w1.toFloatArray());
        weights[1].getArray().set(b1.toFloatArray());
        weights[2].getArray().set(w2.toFloatArray());
        weights[3].getArray().set(b2.toFloatArray());
        NDArray expected = layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertClose("random x (3, 5, 6), W_g (6, 4), experts d=6 h=8 (seed 103), compared with MoeLayer(SwitchRouter(0))",
                expected, tmoe(x, gate, w1, b1, w2, b2), 1e-4f);
    }

    @Test
    @Tag("10-tmoe-causal")
    @DisplayName("causal: replacing later tokens of sequence 0, or all of sequence 1, never changes sequence 0's earlier outputs")
    void tmoeIsCausal() {
        manager.getEngine().setRandomSeed(104);
        int e = 4, d = 6, h = 8, t = 8, cut = 3;
        NDArray x = manager.randomNormal(new Shape(3, t, d));
        NDArray gate = manager.randomNormal(new Shape(d, e));
        NDArray w1 = manager.randomNormal(new Shape(e, d, h));
        NDArray b1 = manager.randomNormal(new Shape(e, h));
        NDArray w2 = manager.randomNormal(new Shape(e, h, d));
        NDArray b2 = manager.randomNormal(new Shape(e, d));
        NDArray before = tmoe(x, gate, w1, b1, w2, b2);

        NDArray later = x.duplicate();
        later.set(new NDIndex("0, " + cut + ":, :"), manager.randomNormal(new Shape(t - cut, d)).mul(4));
        NDArray afterLater = tmoe(later, gate, w1, b1, w2, b2);
        float past = change(before, afterLater, 0, 0, cut);
        assertTrue(past <= 1e-5f, "random x (3, 8, 6) (seed 104); x[0, 3:, :] replaced by larger values: outputs at "
                + "positions 0..2 of sequence 0 must not change (expected max change 0), got " + past
                + ". A token's expert and gate may depend on that token only.");
        float others = Math.max(change(before, afterLater, 1, 0, t), change(before, afterLater, 2, 0, t));
        assertTrue(others <= 1e-5f, "x[0, 3:, :] replaced: sequences 1 and 2 must not change, got max change " + others);
        assertTrue(change(before, afterLater, 0, cut, t) > 1e-3f, "x[0, 3:, :] replaced: outputs 3.. of sequence 0 should change");

        NDArray other = x.duplicate();
        other.set(new NDIndex("1, :, :"), manager.randomNormal(new Shape(t, d)).mul(4));
        NDArray afterOther = tmoe(other, gate, w1, b1, w2, b2);
        float seq0 = Math.max(change(before, afterOther, 0, 0, t), change(before, afterOther, 2, 0, t));
        assertTrue(seq0 <= 1e-5f, "random x (3, 8, 6) (seed 104); sequence 1 replaced by larger values: sequences 0 "
                + "and 2 must not change (expected max change 0), got " + seq0
                + ". Normalise the gate over the experts of one token, never over the batch.");
    }

    // ---- 10-exact-assignment: int[] balancedAssignment(float[][] scores (T, E)) -------------------------

    /** Checks shape and balance; returns the total score. */
    private static double checkBalanced(String input, float[][] scores, int[] a) {
        int t = scores.length;
        int e = scores[0].length;
        assertNotNull(a, input + ": returned null");
        assertEquals(t, a.length, input + ": expected one expert per token (length " + t + "), got "
                + Arrays.toString(a));
        int[] load = new int[e];
        for (int i = 0; i < t; i++) {
            if (a[i] < 0 || a[i] >= e) {
                fail(input + ": token " + i + " got expert " + a[i] + ", expected 0.." + (e - 1) + "; assignment "
                        + Arrays.toString(a));
            }
            load[a[i]]++;
        }
        int[] expectedLoad = new int[e];
        Arrays.fill(expectedLoad, t / e);
        if (!Arrays.equals(expectedLoad, load)) {
            fail(input + ": every expert must get exactly T/E = " + t / e + " tokens; expected load "
                    + Arrays.toString(expectedLoad) + ", got " + Arrays.toString(load) + " from assignment "
                    + Arrays.toString(a));
        }
        double total = 0;
        for (int i = 0; i < t; i++) {
            total += scores[i][a[i]];
        }
        return total;
    }

    /** The best total over all balanced assignments, by exhaustive search. */
    private static double bruteForce(float[][] scores) {
        int e = scores[0].length;
        int[] room = new int[e];
        Arrays.fill(room, scores.length / e);
        return best(scores, 0, room);
    }

    private static double best(float[][] scores, int token, int[] room) {
        if (token == scores.length) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < room.length; x++) {
            if (room[x] > 0) {
                room[x]--;
                best = Math.max(best, scores[token][x] + best(scores, token + 1, room));
                room[x]++;
            }
        }
        return best;
    }

    private static float[][] random(Random random, int t, int e, String kind) {
        float[][] s = new float[t][e];
        for (int i = 0; i < t; i++) {
            for (int x = 0; x < e; x++) {
                s[i][x] = switch (kind) {
                    case "ties" -> random.nextInt(3);
                    case "extreme" -> random.nextBoolean() ? 1000f * (random.nextInt(3) - 1) : (float) random.nextGaussian();
                    default -> (float) random.nextGaussian();
                };
            }
        }
        return s;
    }

    @Test
    @Tag("10-exact-assignment")
    @DisplayName("golden: T=4, E=2, scores [[5,4],[4,0],[4,0],[0,0]] -> [1,0,0,1] (total 12; greedy takes 5 first and gets 9); a 3x3 permutation case -> [2,0,1]")
    void assignmentGolden() {
        float[][] scores = {{5, 4}, {4, 0}, {4, 0}, {0, 0}};
        String input = "scores " + Arrays.deepToString(scores);
        int[] a = assignment(scores);
        double total = checkBalanced(input, scores, a);
        assertTrue(Arrays.equals(new int[] {1, 0, 0, 1}, a), input + ": expected [1, 0, 0, 1] (total 12), got "
                + Arrays.toString(a) + " (total " + total + ")");

        float[][] square = {{9, 2, 7}, {6, 4, 3}, {5, 8, 1}};
        String squareInput = "scores " + Arrays.deepToString(square) + " (T = E = 3: one token per expert)";
        int[] b = assignment(square);
        double squareTotal = checkBalanced(squareInput, square, b);
        assertTrue(Arrays.equals(new int[] {2, 0, 1}, b), squareInput + ": expected [2, 0, 1] (total 21), got "
                + Arrays.toString(b) + " (total " + squareTotal + ")");

        float[][] one = {{3}, {-1}, {2}};
        assertTrue(Arrays.equals(new int[] {0, 0, 0}, assignment(one)), "scores [[3],[-1],[2]] (E = 1): expected [0, 0, 0], got "
                + Arrays.toString(assignment(one)));
    }

    @Test
    @Tag("10-exact-assignment")
    @DisplayName("optimal: the total equals brute force on random tiny cases (T ≤ 8, E ∈ {2, 3, 4, 6}), with ties and ±1000 scores")
    void assignmentIsOptimal() {
        Random random = new Random(105);
        int[][] sizes = {{4, 2}, {6, 2}, {6, 3}, {8, 2}, {8, 4}, {6, 6}};
        for (String kind : new String[] {"gaussian", "ties", "extreme"}) {
            for (int[] size : sizes) {
                for (int rep = 0; rep < 3; rep++) {
                    float[][] scores = random(random, size[0], size[1], kind);
                    String input = kind + " scores T=" + size[0] + ", E=" + size[1] + ": " + Arrays.deepToString(scores);
                    int[] a = assignment(scores);
                    double total = checkBalanced(input, scores, a);
                    double optimum = bruteForce(scores);
                    assertEquals(optimum, total, 1e-3, input + ": expected the optimal total " + optimum + ", got "
                            + total + " from " + Arrays.toString(a));
                }
            }
        }
    }

    @Test
    @Tag("10-exact-assignment")
    @DisplayName("balanced and never worse than moelab's greedy BaseRouter (T = 64..256, E = 4, 8)")
    void assignmentBeatsGreedy() {
        Random random = new Random(106);
        int[][] sizes = {{64, 4}, {96, 8}, {256, 8}};
        for (int[] size : sizes) {
            float[][] scores = random(random, size[0], size[1], "gaussian");
            float[] flat = new float[size[0] * size[1]];
            for (int i = 0; i < size[0]; i++) {
                System.arraycopy(scores[i], 0, flat, i * size[1], size[1]);
            }
            int[][] greedy = new BaseRouter().route(manager.create(flat).reshape(size[0], size[1]), null, true).experts();
            double greedyTotal = 0;
            for (int i = 0; i < size[0]; i++) {
                greedyTotal += scores[i][greedy[i][0]];
            }
            String input = "Gaussian scores T=" + size[0] + ", E=" + size[1] + " (java.util.Random seed 106)";
            int[] a = assignment(scores);
            double total = checkBalanced(input, scores, a);
            assertTrue(total >= greedyTotal - 1e-3, input + ": expected a total >= the greedy BaseRouter's "
                    + greedyTotal + ", got " + total);
        }
    }
}
