package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.moe.SoftMoeLayer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 12-beyond-token-choice.ipynb}: Soft MoE, auxiliary-loss-free bias balancing. */
@Forbids(exercise = "12-soft-moe", value = {"moelab.moe.SoftMoeLayer"})
@Forbids(exercise = "12-bias-balancing", value = {"moelab.routing.BiasBalancedRouter"})
class BeyondTokenChoiceExercises extends NDArrayExercises {

    private static String show(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        return a.getShape() + " " + Arrays.toString(v);
    }

    private static void checkClose(String what, NDArray expected, NDArray got, double tol) {
        if (got == null) {
            fail(what + ": expected " + show(expected) + ", got null");
        }
        if (!expected.getShape().equals(got.getShape())) {
            fail(what + ": expected shape " + expected.getShape() + ", got " + got.getShape() + " (" + show(got) + ")");
        }
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] g = got.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - g[i]) <= tol * (1 + Math.abs(e[i])))) {
                fail(what + ": expected " + show(expected) + ", got " + show(got) + " (first difference at flat index " + i + ")");
            }
        }
    }

    // ---- 12-soft-moe: NDList softMoe(NDArray x, NDArray phi, List<UnaryOperator<NDArray>> experts) ----

    private NDList softMoe(NDArray x, NDArray phi, List<UnaryOperator<NDArray>> experts) {
        NDList out = Student.method("softMoe", NDArray.class, NDArray.class, List.class).call(NDList.class, x, phi, experts);
        if (out == null || out.size() != 3) {
            fail("softMoe(x " + x.getShape() + ", phi " + phi.getShape() + ", " + experts.size()
                    + " experts) must return [D (m, n·p), C (m, n·p), Y (m, d)], got " + (out == null ? "null" : out.size() + " arrays"));
        }
        return out;
    }

    private static List<UnaryOperator<NDArray>> linearExperts(NDArray w) {
        List<UnaryOperator<NDArray>> experts = new ArrayList<>();
        for (int j = 0; j < w.getShape().get(0); j++) {
            NDArray wj = w.get(j);
            experts.add(s -> s.matMul(wj));
        }
        return experts;
    }

    @Test
    @Tag("12-soft-moe")
    @DisplayName("x = [[1], [0]], Φ = [[ln 3, 0]], experts ×2 and ×(−1), p = 1: D = [[.75, .5], [.25, .5]], C = [[.75, .25], [.5, .5]], Y = [[1], [.5]]")
    void softMoeGolden() {
        NDArray x = manager.create(new float[][] {{1f}, {0f}});
        NDArray phi = manager.create(new float[][] {{(float) Math.log(3), 0f}});
        List<UnaryOperator<NDArray>> experts = List.of(s -> s.mul(2), s -> s.neg());
        NDList out = softMoe(x, phi, experts);
        String input = "softMoe(x=[[1],[0]], Φ=[[ln 3, 0]], experts ×2, ×(−1))";
        checkClose(input + " dispatch D", manager.create(new float[][] {{0.75f, 0.5f}, {0.25f, 0.5f}}), out.get(0), 1e-5);
        checkClose(input + " combine C", manager.create(new float[][] {{0.75f, 0.25f}, {0.5f, 0.5f}}), out.get(1), 1e-5);
        checkClose(input + " output Y", manager.create(new float[][] {{1f}, {0.5f}}), out.get(2), 1e-5);
    }

    @Test
    @Tag("12-soft-moe")
    @DisplayName("random x (7, 4), Φ (4, 6), 3 experts × 2 slots: D columns (over tokens) and C rows (over slots) sum to 1; Y as the paper")
    void softMoeWeightsSumToOne() {
        manager.getEngine().setRandomSeed(12);
        NDArray x = manager.randomNormal(new Shape(7, 4));
        NDArray phi = manager.randomNormal(new Shape(4, 6));
        List<UnaryOperator<NDArray>> experts = linearExperts(manager.randomNormal(new Shape(3, 4, 4)));
        NDList out = softMoe(x, phi, experts);
        String input = "softMoe(x (7, 4), Φ (4, 6), 3 experts)";
        checkClose(input + ": D summed over tokens (axis 0), one per slot", manager.ones(new Shape(6)), out.get(0).sum(new int[] {0}), 1e-5);
        checkClose(input + ": C summed over slots (axis 1), one per token", manager.ones(new Shape(7)), out.get(1).sum(new int[] {1}), 1e-5);
        NDList expected = SoftMoeLayer.apply(x, phi, experts);
        checkClose(input + ": D", expected.get(0), out.get(0), 1e-4);
        checkClose(input + ": C", expected.get(1), out.get(1), 1e-4);
        checkClose(input + ": Y", expected.get(2), out.get(2), 1e-4);
    }

    @Test
    @Tag("12-soft-moe")
    @DisplayName("permuting the tokens permutes D, C and Y the same way (token order does not matter)")
    void softMoePermutationEquivariant() {
        manager.getEngine().setRandomSeed(13);
        NDArray x = manager.randomNormal(new Shape(5, 3));
        NDArray phi = manager.randomNormal(new Shape(3, 4));
        List<UnaryOperator<NDArray>> experts = linearExperts(manager.randomNormal(new Shape(2, 3, 3)));
        NDArray perm = manager.create(new long[] {3, 0, 4, 1, 2});
        NDList plain = softMoe(x, phi, experts);
        NDList permuted = softMoe(x.get(perm), phi, experts);
        String input = "softMoe on x (5, 3) with rows reordered [3, 0, 4, 1, 2]";
        checkClose(input + ": Y", plain.get(2).get(perm), permuted.get(2), 1e-4);
        checkClose(input + ": D", plain.get(0).get(perm), permuted.get(0), 1e-4);
        checkClose(input + ": C", plain.get(1).get(perm), permuted.get(1), 1e-4);
    }

    @Test
    @Tag("12-soft-moe")
    @DisplayName("logits ±1000 (x = [[1], [−1]], Φ = [[1000, −1000]], identity experts): D = C = I and Y = x, no NaN or infinity")
    void softMoeExtremeLogits() {
        NDArray x = manager.create(new float[][] {{1f}, {-1f}});
        NDArray phi = manager.create(new float[][] {{1000f, -1000f}});
        NDList out = softMoe(x, phi, List.of(s -> s, s -> s));
        String input = "softMoe(x=[[1],[-1]], Φ=[[1000, -1000]], identity experts)";
        checkClose(input + " dispatch D", manager.eye(2), out.get(0), 1e-5);
        checkClose(input + " combine C", manager.eye(2), out.get(1), 1e-5);
        checkClose(input + " output Y", x, out.get(2), 1e-5);
    }

    // ---- 12-bias-balancing: NDList biasBalancing(NDArray scores, NDArray bias, int k, double gamma) --

    private NDList balance(NDArray scores, NDArray bias, int k, double gamma) {
        NDList out = Student.method("biasBalancing", NDArray.class, NDArray.class, int.class, double.class)
                .call(NDList.class, scores, bias, k, gamma);
        if (out == null || out.size() != 3) {
            fail("biasBalancing(scores " + scores.getShape() + ", bias " + bias.getShape() + ", k=" + k
                    + ") must return [chosen (T, k), gates (T, k), new bias (E)], got " + (out == null ? "null" : out.size() + " arrays"));
        }
        return out;
    }

    private static void checkChosen(String input, long[][] expected, NDArray got) {
        long[] flat = got.toType(DataType.INT64, false).toLongArray();
        long[] want = Arrays.stream(expected).flatMapToLong(Arrays::stream).toArray();
        if (!Arrays.equals(want, flat) || got.getShape().dimension() != 2) {
            fail(input + ": chosen experts expected " + Arrays.deepToString(expected) + ", got " + got.getShape() + " " + Arrays.toString(flat));
        }
    }

    @Test
    @Tag("12-bias-balancing")
    @DisplayName("scores [[.6,.3,.1],[.5,.4,.1],[.2,.7,.1]], bias [−.2,0,0], k=1, γ=.1: chosen [0,1,1], gates [.6,.4,.7] (no bias), new bias [−.2,−.1,.1]")
    void biasGoldenTop1() {
        NDArray scores = manager.create(new float[][] {{0.6f, 0.3f, 0.1f}, {0.5f, 0.4f, 0.1f}, {0.2f, 0.7f, 0.1f}});
        NDArray bias = manager.create(new float[] {-0.2f, 0f, 0f});
        NDList out = balance(scores, bias, 1, 0.1);
        String input = "biasBalancing(scores=[[.6,.3,.1],[.5,.4,.1],[.2,.7,.1]], bias=[-.2,0,0], k=1, γ=.1)";
        checkChosen(input, new long[][] {{0}, {1}, {1}}, out.get(0));
        checkClose(input + ": gates (scores of the chosen experts, without the bias)", manager.create(new float[][] {{0.6f}, {0.4f}, {0.7f}}), out.get(1), 1e-6);
        checkClose(input + ": new bias (loads [1, 2, 0], mean 1)", manager.create(new float[] {-0.2f, -0.1f, 0.1f}), out.get(2), 1e-6);
    }

    @Test
    @Tag("12-bias-balancing")
    @DisplayName("k=2, scores [[.5,.3,.2],[.4,.35,.25]], bias [0,0,.2]: chosen [[0,2],[2,0]] (best biased score first), gates [[.5,.2],[.25,.4]], new bias [−.05,.05,.15]")
    void biasGoldenTop2() {
        NDArray scores = manager.create(new float[][] {{0.5f, 0.3f, 0.2f}, {0.4f, 0.35f, 0.25f}});
        NDArray bias = manager.create(new float[] {0f, 0f, 0.2f});
        NDList out = balance(scores, bias, 2, 0.05);
        String input = "biasBalancing(scores=[[.5,.3,.2],[.4,.35,.25]], bias=[0,0,.2], k=2, γ=.05)";
        // biased: [.5,.3,.4] -> 0, 2;  [.4,.35,.45] -> 2, 0.  loads [2, 0, 2], mean 4/3
        checkChosen(input, new long[][] {{0, 2}, {2, 0}}, out.get(0));
        checkClose(input + ": gates (scores only)", manager.create(new float[][] {{0.5f, 0.2f}, {0.25f, 0.4f}}), out.get(1), 1e-6);
        checkClose(input + ": new bias (loads [2, 0, 2], mean 4/3)", manager.create(new float[] {-0.05f, 0.05f, 0.15f}), out.get(2), 1e-6);
    }

    @Test
    @Tag("12-bias-balancing")
    @DisplayName("perfectly balanced loads leave the bias unchanged (sign(0) = 0)")
    void biasUnchangedWhenBalanced() {
        NDArray scores = manager.create(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}});
        NDArray bias = manager.create(new float[] {0.3f, -0.3f});
        NDList out = balance(scores, bias, 1, 0.5);
        String input = "biasBalancing(scores=[[.9,.1],[.2,.8]], bias=[.3,-.3], k=1, γ=.5)";
        checkChosen(input, new long[][] {{0}, {1}}, out.get(0));
        checkClose(input + ": new bias", bias, out.get(2), 1e-6);
    }

    @Test
    @Tag("12-bias-balancing")
    @DisplayName("skewed scores (256 tokens, 4 experts, expert 0 favoured), 150 steps of γ=0.01 feeding the bias back: max load falls below 90 (from about 200)")
    void biasShrinksImbalance() {
        manager.getEngine().setRandomSeed(21);
        NDArray scores = manager.randomNormal(new Shape(256, 4)).add(manager.create(new float[] {3f, 1f, 0f, 0f})).softmax(1);
        NDArray bias = manager.zeros(new Shape(4));
        int first = -1;
        int[] load = null;
        for (int step = 0; step <= 150; step++) {
            NDList out = balance(scores, bias, 1, 0.01);
            load = new int[4];
            for (long e : out.get(0).toType(DataType.INT64, false).toLongArray()) {
                load[(int) e]++;
            }
            if (first < 0) {
                first = Arrays.stream(load).max().getAsInt();
            }
            bias = out.get(2);
        }
        int last = Arrays.stream(load).max().getAsInt();
        assertTrue(first > 150, "skewed input: expected the first step's max load above 150, got " + first + " (loads should count the chosen experts)");
        assertTrue(last < 90, "after 150 steps from loads with max " + first + ": expected max load below 90, got loads "
                + Arrays.toString(load) + " with bias " + show(bias));
    }
}
