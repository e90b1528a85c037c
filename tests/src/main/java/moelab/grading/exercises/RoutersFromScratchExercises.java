package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.moe.MoeLayer;
import moelab.routing.ExpertChoiceRouter;
import moelab.routing.NoisyTopKGating;
import moelab.routing.Router;
import moelab.routing.Routing;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercises of {@code 08-routers-from-scratch.ipynb}: Switch top-1, Shazeer's learned-noise top-k
 * gate, GShard's random second expert, expert choice, the router z-loss.
 *
 * <p>The shared 4-token, 3-expert example (as in V-MoE's routing tests), probabilities rounded:
 *
 * <pre>
 *          logits           softmax
 *   t0  [2,   1, 0  ]   [0.665241 0.244728 0.090031]
 *   t1  [0,   3, 1  ]   [0.042010 0.843795 0.114195]
 *   t2  [2.5, 0, 0  ]   [0.858981 0.070509 0.070509]
 *   t3  [1,   0, 2  ]   [0.244728 0.090031 0.665241]
 * </pre>
 */
@Forbids(exercise = "08-switch-router", value = {"moelab.routing.SwitchRouter", "moelab.routing.TopKRouter",
    "moelab.routing.BatchPriorityRouter", "moelab.routing.GShardRouter"})
@Forbids(exercise = "08-noisy-topk", value = {"moelab.routing.NoisyTopKGating", "moelab.routing.TopKRouter"})
@Forbids(exercise = "08-gshard-second", value = {"moelab.routing.GShardRandomRouter", "moelab.routing.GShardRouter",
    "moelab.routing.TopKRouter"})
@Forbids(exercise = "08-expert-choice", value = {"moelab.routing.ExpertChoiceRouter"})
@Forbids(exercise = "08-z-loss", value = {"moelab.moe.RouterZLoss"})
class RoutersFromScratchExercises extends NDArrayExercises {

    private static final float[][] LOGITS = {{2, 1, 0}, {0, 3, 1}, {2.5f, 0, 0}, {1, 0, 2}};
    private static final String EXAMPLE = "the 4-token example {{2,1,0},{0,3,1},{2.5,0,0},{1,0,2}}";

    // ---- helpers -------------------------------------------------------------------------------

    private static String show(float[][] a) {
        return Arrays.deepToString(a);
    }

    private static void assertIntArrays(String what, int[][] expected, int[][] actual) {
        assertTrue(Arrays.deepEquals(expected, actual),
                what + ": expected " + Arrays.deepToString(expected) + " but got " + Arrays.deepToString(actual));
    }

    private static void assertFloats(String what, float[] expected, float[] actual, float tolerance) {
        boolean ok = expected.length == actual.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = Math.abs(expected[i] - actual[i]) <= tolerance;
        }
        assertTrue(ok, what + ": expected " + Arrays.toString(expected) + " but got " + Arrays.toString(actual)
                + " (tolerance " + tolerance + ")");
    }

    private static void assertFinite(String what, float[] values) {
        for (float v : values) {
            assertTrue(Float.isFinite(v), what + ": got a non-finite value in " + Arrays.toString(values));
        }
    }

    private static Routing checked(String input, Routing routing) {
        assertNotNull(routing, input + ": route returned null");
        assertNotNull(routing.weights(), input + ": the routing has no weights");
        return routing;
    }

    private static float[] weights(Routing r) {
        return r.weights().toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Gradient of Σ weights ⊙ c with respect to the logits, c a fixed pattern (so no two columns cancel). */
    private float[] weightGradient(float[][] logits, java.util.function.Function<NDArray, Routing> route) {
        NDArray l = manager.create(logits);
        l.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Routing r = route.apply(l);
            NDArray w = r.weights();
            NDArray pattern = manager.arange(1f, 1f + w.size()).reshape(w.getShape()).toType(w.getDataType(), false);
            gc.backward(w.mul(pattern).sum());
        }
        NDArray grad = l.getGradient();
        assertNotNull(grad, "no gradient reached the logits: compute the weights from them with NDArray operations");
        return grad.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static void assertNonZeroGradient(String what, float[] grad) {
        assertFinite(what + " gradient", grad);
        double sum = 0;
        for (float g : grad) {
            sum += Math.abs(g);
        }
        assertTrue(sum > 1e-6, what + ": the gradient of the combine weights with respect to the logits is zero ("
                + Arrays.toString(grad) + "); take the weights from softmax(logits) with NDArray operations "
                + "(gather), not from Java numbers, or the gate W_g never learns");
    }

    /** Seat count per expert. */
    private static int[] load(Routing r) {
        int[] load = new int[r.numExperts()];
        for (int t = 0; t < r.numItems(); t++) {
            for (int s = 0; s < r.slots(); s++) {
                if (r.kept(t, s)) {
                    load[r.expert(t, s)]++;
                }
            }
        }
        return load;
    }

    // ---- 08-switch-router: Router switchRouter(double capacityFactor) -----------------------------

    private static Router switchRouter(double capacityFactor) {
        Router router = Student.method("switchRouter", double.class).call(Router.class, capacityFactor);
        assertNotNull(router, "switchRouter returned null");
        return router;
    }

    @Test
    @Tag("08-switch-router")
    @DisplayName("Switch on the 4-token example, cf = 1: capacity 2, experts [0,1,0,2], positions [0,0,1,0], weights = the top probabilities")
    void switchGolden() {
        Routing r = checked(EXAMPLE + ", cf 1.0", switchRouter(1.0).route(manager.create(LOGITS), false));
        assertEquals(2, r.capacity(), EXAMPLE + ", cf 1.0: capacity ceil(1·4·1.0/3) = 2, got " + r.capacity());
        assertIntArrays(EXAMPLE + ", cf 1.0, experts", new int[][] {{0}, {1}, {0}, {2}}, r.experts());
        assertIntArrays(EXAMPLE + ", cf 1.0, positions", new int[][] {{0}, {0}, {1}, {0}}, r.positions());
        assertFloats(EXAMPLE + ", cf 1.0, weights", new float[] {0.665241f, 0.843795f, 0.858981f, 0.665241f}, weights(r), 1e-5f);
    }

    @Test
    @Tag("08-switch-router")
    @DisplayName("Switch on the 4-token example, cf = 0.5: capacity 1, token 2 dropped (batch order), its weight 0")
    void switchDropsInBatchOrder() {
        Routing r = checked(EXAMPLE + ", cf 0.5", switchRouter(0.5).route(manager.create(LOGITS), false));
        assertEquals(1, r.capacity(), EXAMPLE + ", cf 0.5: capacity ceil(1·4·0.5/3) = 1, got " + r.capacity());
        assertIntArrays(EXAMPLE + ", cf 0.5, experts", new int[][] {{0}, {1}, {0}, {2}}, r.experts());
        assertIntArrays(EXAMPLE + ", cf 0.5, positions", new int[][] {{0}, {0}, {-1}, {0}}, r.positions());
        assertFloats(EXAMPLE + ", cf 0.5, weights", new float[] {0.665241f, 0.843795f, 0f, 0.665241f}, weights(r), 1e-5f);
    }

    @Test
    @Tag("08-switch-router")
    @DisplayName("ties go to the lower expert; logits of ±1000 give weights 1 and 0.5 and no NaN")
    void switchTiesAndExtremes() {
        float[][] logits = {{1, 1, 1}, {1000, -1000, 0}, {-1000, 1000, 1000}, {5, 5, -1000}};
        String input = "logits " + show(logits) + ", cf 0 (no dropping)";
        Routing r = checked(input, switchRouter(0).route(manager.create(logits), false));
        assertIntArrays(input + ", experts", new int[][] {{0}, {0}, {1}, {0}}, r.experts());
        assertIntArrays(input + ", positions", new int[][] {{0}, {1}, {0}, {2}}, r.positions());
        float[] w = weights(r);
        assertFinite(input + ", weights", w);
        assertFloats(input + ", weights", new float[] {1f / 3, 1f, 0.5f, 0.5f}, w, 1e-6f);
    }

    @Test
    @Tag("08-switch-router")
    @DisplayName("on random logits (T=40, E=4, cf 0.5/1/1.25/0): argmax experts, capacity ceil(T·cf/E) never exceeded, later tokens dropped first")
    void switchCapacityProperty() {
        Random random = new Random(81);
        int tokens = 40;
        int experts = 4;
        for (double cf : new double[] {0.5, 1.0, 1.25, 0}) {
            float[][] logits = new float[tokens][experts];
            for (float[] row : logits) {
                for (int e = 0; e < experts; e++) {
                    row[e] = (float) (random.nextGaussian() * 2 + (e == 0 ? 1 : 0));
                }
            }
            int capacity = cf <= 0 ? tokens : Math.max(1, Math.min(tokens, (int) Math.ceil(tokens * cf / experts)));
            int[][] expert = new int[tokens][1];
            int[][] position = new int[tokens][1];
            int[] filled = new int[experts];
            for (int t = 0; t < tokens; t++) {
                int best = 0;
                for (int e = 1; e < experts; e++) {
                    if (logits[t][e] > logits[t][best]) {
                        best = e;
                    }
                }
                expert[t][0] = best;
                position[t][0] = filled[best] < capacity ? filled[best]++ : -1;
            }
            String input = "random logits (seed 81, T=40, E=4, expert 0 favoured), cf " + cf;
            Routing r = checked(input, switchRouter(cf).route(manager.create(logits), true));
            assertEquals(capacity, r.capacity(), input + ": capacity");
            assertIntArrays(input + ", experts", expert, r.experts());
            assertIntArrays(input + ", positions", position, r.positions());
            int[] load = load(r);
            for (int e = 0; e < experts; e++) {
                assertTrue(load[e] <= capacity, input + ": expert " + e + " holds " + load[e] + " > capacity " + capacity);
            }
        }
    }

    @Test
    @Tag("08-switch-router")
    @DisplayName("gradient check: in a float64 MoeLayer the gate W_g gets a non-zero gradient equal to central finite differences")
    void switchGateGradient() {
        Engine.getInstance().setRandomSeed(21);
        MoeLayer layer = MoeLayer.builder().setNumExperts(3).setModelDim(4).setHiddenDim(5)
                .setRouter(switchRouter(0)).build();
        layer.initialize(manager, DataType.FLOAT64, new Shape(6, 4));
        NDArray x = manager.randomNormal(new Shape(6, 4)).toType(DataType.FLOAT64, false);
        NDArray r = manager.randomNormal(new Shape(6, 4)).toType(DataType.FLOAT64, false);
        NDArray gate = layer.gate().getArray();
        gate.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(moeLoss(layer, x, r, true));
        }
        NDArray g = gate.getGradient();
        assertNotNull(g, "no gradient reached the gate W_g");
        double[] grad = g.toType(DataType.FLOAT64, false).toDoubleArray();
        double total = Arrays.stream(grad).map(Math::abs).sum();
        assertTrue(total > 1e-8, "L = Σ y·r of a float64 MoeLayer (E=3, d=4, 6 tokens) with your router: dW_g is zero "
                + Arrays.toString(grad) + ". The combine weights must be gathered from softmax(logits) as NDArrays, "
                + "or the gate never learns");
        double eps = 1e-6;
        for (int i : new int[] {0, 4, 7, 11}) {
            double[] values = gate.toType(DataType.FLOAT64, false).toDoubleArray();
            double original = values[i];
            values[i] = original + eps;
            gate.set(values);
            double plus = moeLoss(layer, x, r, false).getDouble();
            values[i] = original - eps;
            gate.set(values);
            double minus = moeLoss(layer, x, r, false).getDouble();
            values[i] = original;
            gate.set(values);
            double numeric = (plus - minus) / (2 * eps);
            assertTrue(Math.abs(grad[i] - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
                    "dL/dW_g entry " + i + " (row " + i / 3 + ", column " + i % 3 + "): finite difference "
                            + numeric + ", autograd " + grad[i]);
        }
    }

    private NDArray moeLoss(MoeLayer layer, NDArray x, NDArray r, boolean training) {
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), training).head();
        return y.mul(r).sum();
    }

    // ---- 08-noisy-topk: NDList noisyTopKGating(x, wGate, wNoise, noise, k) -> [G, P] -----------------

    /** x (4, 2), W_g (2, 3), W_noise (2, 3), n (4, 3): see the comment of the golden tests. */
    private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {0, 0}};
    private static final float[][] W_GATE = {{2, 0, 1}, {0, 1, 0}};
    private static final float[][] W_NOISE = {{0, 0, 0}, {0, 0, 2}};
    private static final float[][] NOISE = {{0, 0, 0}, {2, 0, 0}, {0, 0, 1}, {0, -1, 1}};
    private static final String NOISY_CASE = "x " + show(X) + ", W_g " + show(W_GATE) + ", W_noise " + show(W_NOISE)
            + ", noise " + show(NOISE) + " (so x W_g = {{2,0,1},{0,1,0},{2,1,1},{0,0,0}}, H = {{2,0,1},{1.386,1,0},"
            + "{2,1,3.127},{0,-0.693,0.693}})";

    private NDList noisyTopK(NDArray x, NDArray wGate, NDArray wNoise, NDArray noise, int k) {
        NDList out = Student.method("noisyTopKGating", NDArray.class, NDArray.class, NDArray.class, NDArray.class, int.class)
                .call(NDList.class, x, wGate, wNoise, noise, k);
        assertNotNull(out, "noisyTopKGating returned null");
        assertEquals(2, out.size(), "noisyTopKGating must return new NDList(G, P), got " + out.size() + " arrays");
        return out;
    }

    private NDList noisyGolden(int k) {
        return noisyTopK(manager.create(X), manager.create(W_GATE), manager.create(W_NOISE), manager.create(NOISE), k);
    }

    @Test
    @Tag("08-noisy-topk")
    @DisplayName("k = 2, worked by hand: G = softmax over the top 2 of H (rows sum to 1), P = Φ((xW_g − kth_excluding) / Softplus(xW_noise))")
    void noisyGoldenTopTwo() {
        NDList out = noisyGolden(2);
        float[] g = out.get(0).toType(DataType.FLOAT32, false).toFloatArray();
        assertFloats(NOISY_CASE + ", k=2: G", new float[] {
            0.731059f, 0, 0.268941f,
            0.595390f, 0.404610f, 0,
            0.244728f, 0, 0.755272f,
            0.333333f, 0, 0.666667f}, g, 1e-5f);
        float[] p = out.get(1).toType(DataType.FLOAT32, false).toFloatArray();
        assertFloats(NOISY_CASE + ", k=2: P", new float[] {
            0.998045f, 0.074553f, 0.925447f,
            0.500000f, 0.925447f, 0.319120f,
            0.925447f, 0.074553f, 0.500000f,
            0.841345f, 0.500000f, 0.841345f}, p, 1e-5f);
    }

    @Test
    @Tag("08-noisy-topk")
    @DisplayName("k = 1, worked by hand: one-hot gates, P for the single winner and the losers")
    void noisyGoldenTopOne() {
        NDList out = noisyGolden(1);
        assertFloats(NOISY_CASE + ", k=1: G", new float[] {1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1},
                out.get(0).toType(DataType.FLOAT32, false).toFloatArray(), 1e-6f);
        assertFloats(NOISY_CASE + ", k=1: P", new float[] {
            0.925447f, 0.001955f, 0.074553f,
            0.074553f, 0.288660f, 0.257271f,
            0.051995f, 0.001076f, 0.319120f,
            0.158655f, 0.158655f, 0.500000f}, out.get(1).toType(DataType.FLOAT32, false).toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("08-noisy-topk")
    @DisplayName("logits and noise logits of ±1000 (x W_noise = 1000 needs a stable Softplus): exact gates and P, no NaN")
    void noisyExtremes() {
        float[][] x = {{1, 0}, {0, 1}};
        float[][] wg = {{1000, -1000, 0}, {-1000, 1000, 1000}};
        float[][] wn = {{1000, 1000, 1000}, {0, 0, 0}};
        String input = "x " + show(x) + ", W_g " + show(wg) + ", W_noise " + show(wn) + ", noise 0, k=1";
        NDList out = noisyTopK(manager.create(x), manager.create(wg), manager.create(wn), manager.zeros(new Shape(2, 3)), 1);
        float[] g = out.get(0).toType(DataType.FLOAT32, false).toFloatArray();
        float[] p = out.get(1).toType(DataType.FLOAT32, false).toFloatArray();
        assertFinite(input + ": G", g);
        assertFinite(input + ": P", p);
        assertFloats(input + ": G", new float[] {1, 0, 0, 0, 1, 0}, g, 1e-6f);
        // row 0: scale Softplus(1000) = 1000, P = Φ(1), Φ(-2), Φ(-1); row 1: scale ln 2, tie 1000/1000
        assertFloats(input + ": P", new float[] {0.841345f, 0.022750f, 0.158655f, 0f, 0.5f, 0.5f}, p, 1e-5f);
        NDList noisy = noisyTopK(manager.create(x), manager.create(wg), manager.create(wn), manager.ones(new Shape(2, 3)), 1);
        assertFinite(input.replace("noise 0", "noise 1") + ": G", noisy.get(0).toType(DataType.FLOAT32, false).toFloatArray());
        assertFinite(input.replace("noise 0", "noise 1") + ": P", noisy.get(1).toType(DataType.FLOAT32, false).toFloatArray());
    }

    @Test
    @Tag("08-noisy-topk")
    @DisplayName("on random inputs (E=5, k=1..3): each row of G has k non-zeros summing to 1; G and P match Shazeer's formulas")
    void noisyProperty() {
        manager.getEngine().setRandomSeed(82);
        for (int k = 1; k <= 3; k++) {
            NDArray x = manager.randomNormal(new Shape(12, 6));
            NDArray wg = manager.randomNormal(new Shape(6, 5));
            NDArray wn = manager.randomNormal(new Shape(6, 5));
            NDArray noise = manager.randomNormal(new Shape(12, 5));
            NDList out = noisyTopK(x, wg, wn, noise, k);
            NDList expected = NoisyTopKGating.gates(x, wg, wn, noise, k);
            float[] g = out.get(0).toType(DataType.FLOAT32, false).toFloatArray();
            for (int t = 0; t < 12; t++) {
                float[] row = Arrays.copyOfRange(g, 5 * t, 5 * t + 5);
                long nonZero = 0;
                double sum = 0;
                for (float v : row) {
                    nonZero += v > 0 ? 1 : 0;
                    sum += v;
                }
                assertTrue(nonZero == k && Math.abs(sum - 1) < 1e-5, "random case (seed 82), k=" + k + ", item " + t
                        + ": expected " + k + " non-zero gates summing to 1 (softmax after KeepTopK), got " + Arrays.toString(row));
            }
            assertFloats("random case (seed 82), k=" + k + ": G", expected.get(0).toFloatArray(), g, 1e-5f);
            assertFloats("random case (seed 82), k=" + k + ": P", expected.get(1).toFloatArray(),
                    out.get(1).toType(DataType.FLOAT32, false).toFloatArray(), 1e-4f);
        }
    }

    @Test
    @Tag("08-noisy-topk")
    @DisplayName("G and P are differentiable: gradients reach both W_g and W_noise, with no NaN")
    void noisyGradients() {
        NDArray wg = manager.create(W_GATE);
        NDArray wn = manager.create(W_NOISE);
        wg.setRequiresGradient(true);
        wn.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = noisyTopK(manager.create(X), wg, wn, manager.create(NOISE), 2);
            NDArray r = manager.create(new float[][] {{1, 2, 3}, {-1, 0, 2}, {0.5f, 1, -2}, {3, 1, 0}});
            gc.backward(out.get(0).mul(r).sum().add(out.get(1).sum()));
        }
        for (NDArray w : new NDArray[] {wg, wn}) {
            String name = w == wg ? "W_g" : "W_noise";
            NDArray grad = w.getGradient();
            assertNotNull(grad, NOISY_CASE + ": no gradient reached " + name);
            float[] values = grad.toType(DataType.FLOAT32, false).toFloatArray();
            assertFinite(NOISY_CASE + ": gradient of Σ G·r + Σ P with respect to " + name, values);
            double total = 0;
            for (float v : values) {
                total += Math.abs(v);
            }
            assertTrue(total > 1e-6, NOISY_CASE + ": the gradient of Σ G·r + Σ P with respect to " + name
                    + " is zero " + Arrays.toString(values) + "; compute G and P from x, W_g and W_noise with NDArray operations");
        }
    }

    // ---- 08-gshard-second: Router gshardRouter(double capacityFactor, DoubleSupplier uniform) --------

    /** Draws u in the given order, cycling; counts how many were taken. */
    private static final class Draws implements DoubleSupplier {
        final double[] values;
        int taken;

        Draws(double... values) {
            this.values = values;
        }

        @Override
        public double getAsDouble() {
            return values[taken++ % values.length];
        }
    }

    private static Router gshardRouter(double capacityFactor, DoubleSupplier uniform) {
        Router router = Student.method("gshardRouter", double.class, DoubleSupplier.class).call(Router.class, capacityFactor, uniform);
        assertNotNull(router, "gshardRouter returned null");
        return router;
    }

    @Test
    @Tag("08-gshard-second")
    @DisplayName("4-token example, draws u = .5, .9, .1, .7 (2g2' = .538, .238, .152, .538): tokens 0 and 2 get their second expert")
    void gshardGolden() {
        Draws u = new Draws(0.5, 0.9, 0.1, 0.7);
        String input = EXAMPLE + ", cf 0, training, draws u = [0.5, 0.9, 0.1, 0.7]";
        Routing r = checked(input, gshardRouter(0, u).route(manager.create(LOGITS), true));
        assertEquals(4, u.taken, input + ": draw exactly one u per token, in token order; drew " + u.taken);
        assertIntArrays(input + ", experts (skipped second = -1)", new int[][] {{0, 1}, {1, -1}, {0, 1}, {2, -1}}, r.experts());
        assertIntArrays(input + ", positions (slot-major, batch order)", new int[][] {{0, 1}, {0, -1}, {1, 2}, {0, -1}}, r.positions());
        assertFloats(input + ", weights (g1', g2')", new float[] {0.731059f, 0.268941f, 0.880797f, 0, 0.924142f, 0.075858f, 0.731059f, 0},
                weights(r), 1e-5f);
    }

    @Test
    @Tag("08-gshard-second")
    @DisplayName("capacity 2 (cf 0.75), u = .99, 0, 0, 0: token 0's skipped second takes no seat, so token 2's fits; token 3's is dropped")
    void gshardSkippedSecondTakesNoSeat() {
        String input = EXAMPLE + ", cf 0.75 (capacity ceil(2·4·0.75/3) = 2), training, draws u = [0.99, 0, 0, 0]";
        Routing r = checked(input, gshardRouter(0.75, new Draws(0.99, 0, 0, 0)).route(manager.create(LOGITS), true));
        assertEquals(2, r.capacity(), input + ": capacity");
        assertIntArrays(input + ", experts", new int[][] {{0, -1}, {1, 2}, {0, 1}, {2, 0}}, r.experts());
        assertIntArrays(input + ", positions", new int[][] {{0, -1}, {0, 1}, {1, 1}, {0, -1}}, r.positions());
        assertFloats(input + ", weights", new float[] {0.731059f, 0, 0.880797f, 0.119203f, 0.924142f, 0.075858f, 0.731059f, 0},
                weights(r), 1e-5f);
    }

    @Test
    @Tag("08-gshard-second")
    @DisplayName("ties and ±1000: {1000,-1000,0} never sends a second (g2' = 0), {5,5,-1000} and {-1000,-1000,-1000} always do (g2' = 1/2); no NaN")
    void gshardTiesAndExtremes() {
        float[][] logits = {{1000, -1000, 0}, {5, 5, -1000}, {-1000, -1000, -1000}};
        String input = "logits " + show(logits) + ", cf 0, training, every u = 0.999";
        Routing r = checked(input, gshardRouter(0, new Draws(0.999)).route(manager.create(logits), true));
        float[] w = weights(r);
        assertFinite(input + ", weights", w);
        assertIntArrays(input + ", experts", new int[][] {{0, -1}, {0, 1}, {0, 1}}, r.experts());
        assertIntArrays(input + ", positions", new int[][] {{0, -1}, {1, 0}, {2, 1}}, r.positions());
        assertFloats(input + ", weights", new float[] {1, 0, 0.5f, 0.5f, 0.5f, 0.5f}, w, 1e-6f);
    }

    @Test
    @Tag("08-gshard-second")
    @DisplayName("at evaluation (training = false) every token uses both experts")
    void gshardEvaluation() {
        String input = EXAMPLE + ", cf 0, evaluation, every u = 0.999";
        Routing r = checked(input, gshardRouter(0, new Draws(0.999)).route(manager.create(LOGITS), false));
        assertIntArrays(input + ", experts", new int[][] {{0, 1}, {1, 2}, {0, 1}, {2, 0}}, r.experts());
    }

    @Test
    @Tag("08-gshard-second")
    @DisplayName("the combine weights g1', g2' carry the gradient back to the logits")
    void gshardGradient() {
        float[] grad = weightGradient(LOGITS, l -> gshardRouter(0, new Draws(0.0)).route(l, true));
        assertNonZeroGradient(EXAMPLE + ", every u = 0", grad);
    }

    // ---- 08-expert-choice: Router expertChoiceRouter(double capacityFactor) -------------------------

    private static Router expertChoiceRouter(double capacityFactor) {
        Router router = Student.method("expertChoiceRouter", double.class).call(Router.class, capacityFactor);
        assertNotNull(router, "expertChoiceRouter returned null");
        return router;
    }

    /** Each item's picks as "expert e, rank p, weight w" sorted by expert; unused slots left out. */
    private static List<List<String>> picks(Routing r) {
        float[] w = weights(r);
        List<List<String>> out = new ArrayList<>();
        for (int t = 0; t < r.numItems(); t++) {
            List<String> item = new ArrayList<>();
            for (int s = 0; s < r.slots(); s++) {
                if (r.expert(t, s) >= 0) {
                    item.add(String.format("expert %d rank %d weight %.4f", r.expert(t, s), r.position(t, s),
                            w[t * r.slots() + s]));
                }
            }
            item.sort(null);
            out.add(item);
        }
        return out;
    }

    private static List<List<String>> picks(Object[][]... items) {
        List<List<String>> out = new ArrayList<>();
        for (Object[][] item : items) {
            List<String> list = new ArrayList<>();
            for (Object[] p : item) {
                list.add(String.format("expert %d rank %d weight %.4f", p[0], p[1], ((Number) p[2]).floatValue()));
            }
            list.sort(null);
            out.add(list);
        }
        return out;
    }

    private static void assertPicks(String input, List<List<String>> expected, List<List<String>> actual) {
        assertEquals(expected, actual, input + ": each token's (expert, rank in that expert's picks, weight S[t,e])");
    }

    @Test
    @Tag("08-expert-choice")
    @DisplayName("4-token example, cf 1 (C = 2): expert 0 takes tokens 2, 0; expert 1 takes 1, 0; expert 2 takes 3, 1")
    void expertChoiceGolden() {
        Routing r = checked(EXAMPLE + ", cf 1", expertChoiceRouter(1.0).route(manager.create(LOGITS), false));
        assertEquals(2, r.capacity(), EXAMPLE + ", cf 1: C = ceil(4·1/3) = 2, got " + r.capacity());
        assertPicks(EXAMPLE + ", cf 1", picks(
                new Object[][] {{0, 1, 0.665241}, {1, 1, 0.244728}},
                new Object[][] {{1, 0, 0.843795}, {2, 1, 0.114195}},
                new Object[][] {{0, 0, 0.858981}},
                new Object[][] {{2, 0, 0.665241}}), picks(r));
        assertTrue(Arrays.equals(new int[] {2, 2, 2}, load(r)), EXAMPLE + ", cf 1: every expert holds exactly 2 tokens, got "
                + Arrays.toString(load(r)));
    }

    @Test
    @Tag("08-expert-choice")
    @DisplayName("4-token example, cf 0.5 (C = 1): token 0 is picked by no expert, its slots are unused (-1) with weight 0")
    void expertChoiceTokenWithNoExpert() {
        Routing r = checked(EXAMPLE + ", cf 0.5", expertChoiceRouter(0.5).route(manager.create(LOGITS), false));
        assertEquals(1, r.capacity(), EXAMPLE + ", cf 0.5: C = ceil(4·0.5/3) = 1, got " + r.capacity());
        assertPicks(EXAMPLE + ", cf 0.5", picks(
                new Object[][] {},
                new Object[][] {{1, 0, 0.843795}},
                new Object[][] {{0, 0, 0.858981}},
                new Object[][] {{2, 0, 0.665241}}), picks(r));
        float[] w = weights(r);
        for (int s = 0; s < r.slots(); s++) {
            assertEquals(0f, w[s], EXAMPLE + ", cf 0.5: token 0's weights must be 0, got " + Arrays.toString(w));
        }
    }

    @Test
    @Tag("08-expert-choice")
    @DisplayName("ties (lower token first) and ±1000, cf 0.75 (C = 1): token 0 → expert 0 (weight 1), token 2 → experts 1 and 2 (0.5 each); no NaN")
    void expertChoiceTiesAndExtremes() {
        float[][] logits = {{1000, -1000, 0}, {1000, -1000, 0}, {-1000, 1000, 1000}, {0, 0, 0}};
        String input = "logits " + show(logits) + ", cf 0.75";
        Routing r = checked(input, expertChoiceRouter(0.75).route(manager.create(logits), false));
        assertFinite(input + ", weights", weights(r));
        assertPicks(input, picks(
                new Object[][] {{0, 0, 1.0}},
                new Object[][] {},
                new Object[][] {{1, 0, 0.5}, {2, 0, 0.5}},
                new Object[][] {}), picks(r));
    }

    @Test
    @Tag("08-expert-choice")
    @DisplayName("on random logits (T=24, E=4, cf 1 and 2): every expert exactly full with its top-C tokens, weights S[t,e]")
    void expertChoiceProperty() {
        manager.getEngine().setRandomSeed(84);
        for (double cf : new double[] {1.0, 2.0}) {
            NDArray logits = manager.randomNormal(new Shape(24, 4)).mul(3);
            String input = "random logits (seed 84, T=24, E=4), cf " + cf;
            Routing r = checked(input, expertChoiceRouter(cf).route(logits, false));
            Routing expected = new ExpertChoiceRouter(cf).route(logits, false);
            assertEquals(expected.capacity(), r.capacity(), input + ": C = ceil(T·cf/E)");
            int[] load = load(r);
            for (int e = 0; e < 4; e++) {
                assertEquals(expected.capacity(), load[e], input + ": expert " + e + " must hold exactly C tokens, load "
                        + Arrays.toString(load));
            }
            assertPicks(input, picks(expected), picks(r));
        }
    }

    @Test
    @Tag("08-expert-choice")
    @DisplayName("the combine weights S[t,e] carry the gradient back to the logits")
    void expertChoiceGradient() {
        assertNonZeroGradient(EXAMPLE + ", cf 1", weightGradient(LOGITS, l -> expertChoiceRouter(1.0).route(l, false)));
    }

    // ---- 08-z-loss: NDArray zLoss(NDArray logits), (B, E) -> scalar ---------------------------------

    private NDArray zLoss(NDArray logits) {
        NDArray out = Student.method("zLoss", NDArray.class).call(NDArray.class, logits);
        assertNotNull(out, "zLoss returned null");
        return out;
    }

    private float zLossOf(float[][] logits) {
        NDArray out = zLoss(manager.create(logits));
        assertEquals(new Shape(), out.getShape(), "zLoss of " + show(logits) + " must be a scalar (shape ()), got " + out.getShape());
        return out.toType(DataType.FLOAT32, false).getFloat();
    }

    private static void assertRelative(String input, double expected, float actual, double tolerance) {
        assertTrue(Float.isFinite(actual) && Math.abs(actual - expected) <= tolerance * Math.abs(expected),
                "zLoss of " + input + ": expected " + expected + " but got " + actual);
    }

    @Test
    @Tag("08-z-loss")
    @DisplayName("{{0,0,0,0},{1,1,1,1}} gives ((ln 4)² + (1 + ln 4)²) / 2 = 3.808106 (the mean over tokens, not the sum)")
    void zLossGolden() {
        float[][] logits = {{0, 0, 0, 0}, {1, 1, 1, 1}};
        assertRelative(show(logits), 3.808106, zLossOf(logits), 1e-5);
        float[][] one = {{0, 0}};
        assertRelative(show(one), Math.log(2) * Math.log(2), zLossOf(one), 1e-5);
    }

    @Test
    @Tag("08-z-loss")
    @DisplayName("logits of ±1000 stay finite: (1000 + ln 2)², (ln 3 − 1000)², 1000²")
    void zLossExtremes() {
        float[][] big = {{1000, 1000}};
        float[][] small = {{-1000, -1000, -1000}};
        float[][] mixed = {{1000, -1000}};
        assertRelative(show(big), 1001386.774814, zLossOf(big), 1e-5);
        assertRelative(show(small), 997803.982372, zLossOf(small), 1e-5);
        assertRelative(show(mixed), 1e6, zLossOf(mixed), 1e-5);
    }

    @Test
    @Tag("08-z-loss")
    @DisplayName("gradient (2/B)·lse·softmax: at {{1000,0},{0,0}} it is {{1000,0},{ln2/2,ln2/2}}, finite")
    void zLossGradientAtExtremes() {
        float[][] logits = {{1000, 0}, {0, 0}};
        float[] grad = zLossGradient(logits);
        assertFinite("gradient of zLoss at " + show(logits), grad);
        float h = (float) (Math.log(2) / 2);
        assertFloats("gradient of zLoss at " + show(logits), new float[] {1000, 0, h, h}, grad, 1e-3f);
    }

    @Test
    @Tag("08-z-loss")
    @DisplayName("on random logits (B=6, E=5, scale 50): value and gradient match (1/B) Σ lse² and (2/B)·lse·softmax")
    void zLossRandom() {
        Random random = new Random(85);
        float[][] logits = new float[6][5];
        for (float[] row : logits) {
            for (int e = 0; e < 5; e++) {
                row[e] = (float) (random.nextGaussian() * 50);
            }
        }
        double value = 0;
        float[] expectedGrad = new float[30];
        for (int b = 0; b < 6; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits[b]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : logits[b]) {
                sum += Math.exp(v - max);
            }
            double lse = max + Math.log(sum);
            value += lse * lse / 6;
            for (int e = 0; e < 5; e++) {
                expectedGrad[b * 5 + e] = (float) (2.0 / 6 * lse * Math.exp(logits[b][e] - max) / sum);
            }
        }
        assertRelative("random logits (seed 85, ×50)", value, zLossOf(logits), 1e-5);
        float[] grad = zLossGradient(logits);
        for (int i = 0; i < grad.length; i++) {
            assertTrue(Math.abs(grad[i] - expectedGrad[i]) <= 1e-3 + 1e-4 * Math.abs(expectedGrad[i]),
                    "gradient of zLoss at random logits (seed 85, ×50): expected " + Arrays.toString(expectedGrad)
                            + " but got " + Arrays.toString(grad));
        }
    }

    private float[] zLossGradient(float[][] logits) {
        NDArray l = manager.create(logits);
        l.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(zLoss(l));
        }
        NDArray grad = l.getGradient();
        if (grad == null) {
            fail("zLoss of " + show(logits) + " gave no gradient: compute it with NDArray operations");
        }
        return grad.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
