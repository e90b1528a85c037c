package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import moelab.experts.Experts;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.moe.MoeLayer;
import moelab.routing.GShardRouter;
import moelab.routing.Router;
import moelab.routing.Routing;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 03-experts-dispatch-combine.ipynb}: dispatch and combine by gather, an MoE forward pass. */
@Forbids(exercise = "03-dispatch", value = {"moelab.moe.Dispatch", "moelab.moe.MoeLayer", "moelab.moe.MoeBlock"})
@Forbids(exercise = "03-combine", value = {"moelab.moe.Combine", "moelab.moe.MoeLayer", "moelab.moe.MoeBlock"})
@Forbids(exercise = "03-moe-forward", value = {"moelab.moe.MoeLayer", "moelab.moe.MoeBlock"})
class DispatchCombineExercises extends NDArrayExercises {

    /** A routing written out by hand: {@code weights} (T, S); probabilities are uniform. */
    private Routing routing(int experts, int capacity, int[][] expert, int[][] position, float[][] weights) {
        NDArray probs = manager.ones(new Shape(expert.length, experts)).div(experts);
        return new Routing(experts, capacity, expert, position, manager.create(weights), probs, probs.log(), null);
    }

    private static String show(Routing r) {
        return "routing(E=" + r.numExperts() + ", C=" + r.capacity() + ", experts " + Arrays.deepToString(r.experts())
                + ", positions " + Arrays.deepToString(r.positions()) + ", weights " + Arrays.toString(r.weights().toFloatArray()) + ")";
    }

    private NDArray dispatch(NDArray items, Routing routing) {
        NDArray buffers = Student.method("dispatch", NDArray.class, Routing.class).call(NDArray.class, items, routing);
        assertEquals(new Shape(routing.numExperts(), routing.capacity(), items.getShape().get(1)), buffers.getShape(),
                "dispatch(items " + ArrayMessages.show(items) + ", " + show(routing) + "): output shape (E, C, d)");
        return buffers;
    }

    private NDArray combine(NDArray outputs, Routing routing) {
        NDArray y = Student.method("combine", NDArray.class, Routing.class).call(NDArray.class, outputs, routing);
        assertEquals(new Shape(routing.numItems(), outputs.getShape().get(2)), y.getShape(),
                "combine(outputs " + ArrayMessages.show(outputs) + ", " + show(routing) + "): output shape (T, d)");
        return y;
    }

    private void dispatchIs(float[] expected, NDArray items, Routing r) {
        assertClose(expected, dispatch(items, r).toFloatArray(), 1e-6f, "dispatch(items " + ArrayMessages.show(items) + ", " + show(r) + ")");
    }

    // ---- 03-dispatch: NDArray dispatch(NDArray items, Routing routing), (T, d) -> (E, C, d) --------

    @Test
    @Tag("03-dispatch")
    @DisplayName("3 tokens, 2 experts, capacity 2, top-1 [1, 0, 1]: buffers [[x1, 0], [x0, x2]] (an empty row stays 0)")
    void dispatchGolden() {
        NDArray items = manager.create(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Routing r = routing(2, 2, new int[][] {{1}, {0}, {1}}, new int[][] {{0}, {0}, {1}}, new float[][] {{1}, {1}, {1}});
        dispatchIs(new float[] {3, 4, 0, 0, 1, 2, 5, 6}, items, r);
    }

    @Test
    @Tag("03-dispatch")
    @DisplayName("a dropped slot (position -1) is written nowhere; an expert nobody chose gets an all-zero buffer")
    void dispatchSkipsDropped() {
        NDArray items = manager.create(new float[][] {{1, 1}, {2, 2}, {3, 3}});
        Routing r = routing(2, 1, new int[][] {{0}, {0}, {1}}, new int[][] {{0}, {-1}, {0}}, new float[][] {{1}, {0}, {1}});
        dispatchIs(new float[] {1, 1, 3, 3}, items, r);
        Routing empty = routing(3, 2, new int[][] {{2}, {2}, {0}}, new int[][] {{0}, {1}, {0}}, new float[][] {{1}, {1}, {1}});
        dispatchIs(new float[] {3, 3, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2}, items, empty);
    }

    @Test
    @Tag("03-dispatch")
    @DisplayName("top-2 with an unused second slot (expert -1, position -1): only the used slots are written")
    void dispatchUnusedSlot() {
        NDArray items = manager.create(new float[][] {{1, 2}, {3, 4}});
        Routing r = routing(2, 2, new int[][] {{0, -1}, {1, 0}}, new int[][] {{0, -1}, {0, 1}}, new float[][] {{1, 0}, {0.5f, 0.5f}});
        dispatchIs(new float[] {1, 2, 3, 4, 3, 4, 0, 0}, items, r);
    }

    @Test
    @Tag("03-dispatch")
    @DisplayName("on random (12, 5) tokens with GShard top-2 routing (capacity factor 0.5): same as moelab's Dispatch")
    void dispatchMatchesToolkit() {
        manager.getEngine().setRandomSeed(3);
        NDArray items = manager.randomNormal(new Shape(12, 5));
        Routing r = new GShardRouter(0.5).route(manager.randomNormal(new Shape(12, 4)), false);
        dispatchIs(Dispatch.apply(items, r).toFloatArray(), items, r);
    }

    // ---- 03-combine: NDArray combine(NDArray outputs, Routing routing), (E, C, d) -> (T, d) --------

    @Test
    @Tag("03-combine")
    @DisplayName("weighted sum of each token's slots, worked by hand (a dropped and an unused slot add nothing)")
    void combineGolden() {
        NDArray outputs = manager.create(new float[] {1, 1, 2, 2, 3, 3, 4, 4}, new Shape(2, 2, 2));
        Routing r = routing(2, 2,
                new int[][] {{0, 1}, {1, 0}, {0, -1}},
                new int[][] {{0, 0}, {1, -1}, {1, -1}},
                new float[][] {{0.6f, 0.4f}, {0.7f, 0f}, {1f, 0f}});
        assertClose(new float[] {1.8f, 1.8f, 2.8f, 2.8f, 2f, 2f}, combine(outputs, r).toFloatArray(), 1e-5f,
                "combine(outputs " + ArrayMessages.show(outputs) + ", " + show(r) + ")");
    }

    @Test
    @Tag("03-combine")
    @DisplayName("an item dropped in every slot gets a zero row")
    void combineDroppedEverywhere() {
        NDArray outputs = manager.create(new float[] {5, 6, 7, 8}, new Shape(2, 1, 2));
        Routing r = routing(2, 1, new int[][] {{0, 1}, {1, 0}}, new int[][] {{0, 0}, {-1, -1}}, new float[][] {{0.5f, 0.5f}, {0, 0}});
        assertClose(new float[] {6, 7, 0, 0}, combine(outputs, r).toFloatArray(), 1e-5f,
                "combine(outputs " + ArrayMessages.show(outputs) + ", " + show(r) + ")");
    }

    @Test
    @Tag("03-combine")
    @DisplayName("on random expert outputs with GShard top-2 routing: same as moelab's Combine")
    void combineMatchesToolkit() {
        manager.getEngine().setRandomSeed(4);
        Routing r = new GShardRouter(0.75).route(manager.randomNormal(new Shape(10, 3)), false);
        NDArray outputs = manager.randomNormal(new Shape(3, r.capacity(), 6));
        assertClose(Combine.apply(outputs, r).toFloatArray(), combine(outputs, r).toFloatArray(), 1e-5f,
                "combine(outputs " + ArrayMessages.show(outputs) + ", " + show(r) + ")");
    }

    @Test
    @Tag("03-combine")
    @DisplayName("combine after dispatch with identity experts and no dropping gives back weight-sum × input")
    void combineInvertsDispatch() {
        manager.getEngine().setRandomSeed(5);
        NDArray items = manager.randomNormal(new Shape(8, 4));
        Routing r = new GShardRouter(0).route(manager.randomNormal(new Shape(8, 4)), false);
        NDArray expected = items.mul(r.weights().sum(new int[] {1}, true));
        assertClose(expected.toFloatArray(), combine(Dispatch.apply(items, r), r).toFloatArray(), 1e-5f,
                "combine(Dispatch.apply(items " + ArrayMessages.show(items) + ", r), r) with " + show(r));
    }

    @Test
    @Tag("03-combine")
    @DisplayName("the gradient reaches the combine weights: d sum(y) / d w[t][s] is the sum of that slot's expert output")
    void combineGradient() {
        NDArray outputs = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 2, 2));
        NDArray weights = manager.create(new float[][] {{0.6f, 0.4f}, {0.9f, 0f}});
        weights.setRequiresGradient(true);
        NDArray probs = manager.ones(new Shape(2, 2)).div(2);
        Routing r = new Routing(2, 2, new int[][] {{0, 1}, {1, 0}}, new int[][] {{0, 1}, {0, -1}}, weights, probs, probs, null);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(combine(outputs, r).sum());
        }
        // slot (0,0) reads expert 0 row 0 = [1, 2]; (0,1) expert 1 row 1 = [7, 8]; (1,0) expert 1 row 0 = [5, 6]; (1,1) dropped
        assertClose(new float[] {3, 15, 11, 0}, weights.getGradient().toFloatArray(), 1e-5f,
                "gradient of sum(combine(outputs " + ArrayMessages.show(outputs) + ", " + show(r) + ")) with respect to the weights");
    }

    // ---- 03-moe-forward: NDArray moeForward(NDArray x, NDArray gate, Router router, Experts experts, boolean training)

    private NDArray moeForward(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
        NDArray y = Student.method("moeForward", NDArray.class, NDArray.class, Router.class, Experts.class, boolean.class)
                .call(NDArray.class, x, gate, router, experts, training);
        assertEquals(x.getShape(), y.getShape(), "moeForward(x " + x.getShape() + ", gate " + gate.getShape() + ", " + router + "): output shape (T, d)");
        return y;
    }

    /** The four steps written with the toolkit: the reference. */
    private NDArray reference(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
        Routing routing = router.route(x.matMul(gate), training);
        NDArray outputs = experts.forward(new ParameterStore(manager, false), new NDList(Dispatch.apply(x, routing)), training).head();
        return Combine.apply(outputs, routing);
    }

    private MoeLayer layer(int experts, int d, int h, Router router) {
        MoeLayer layer = MoeLayer.builder().setNumExperts(experts).setModelDim(d).setHiddenDim(h).setRouter(router).build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, d));
        return layer;
    }

    @Test
    @Tag("03-moe-forward")
    @DisplayName("equals moelab's MoeLayer with the same weights: Switch top-1 (capacity factor 1) and GShard top-2, 4 experts, x (12, 6)")
    void moeForwardMatchesLayer() {
        manager.getEngine().setRandomSeed(21);
        for (Router router : new Router[] {new SwitchRouter(1.0), new GShardRouter(0.75)}) {
            MoeLayer layer = layer(4, 6, 10, router);
            NDArray x = manager.randomNormal(new Shape(12, 6));
            NDArray expected = layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
            NDArray got = moeForward(x, layer.gate().getArray(), router, layer.experts(), false);
            assertClose(expected.toFloatArray(), got.toFloatArray(), 1e-5f,
                    "moeForward(x " + ArrayMessages.show(x) + ", gate of a " + layer + ", training=false)");
        }
    }

    @Test
    @Tag("03-moe-forward")
    @DisplayName("one expert, no dropping: the MoE layer is the dense FFN GELU(x W1 + b1) W2 + b2")
    void moeForwardOneExpertIsDense() {
        manager.getEngine().setRandomSeed(22);
        MoeLayer layer = layer(1, 4, 8, new SwitchRouter(0));
        NDArray x = manager.randomNormal(new Shape(5, 4));
        var w = layer.experts().weights();
        NDArray dense = Activation.gelu(x.matMul(w[0].getArray().get(0)).add(w[1].getArray().get(0)))
                .matMul(w[2].getArray().get(0)).add(w[3].getArray().get(0));
        NDArray got = moeForward(x, layer.gate().getArray(), layer.router(), layer.experts(), false);
        assertClose(dense.toFloatArray(), got.toFloatArray(), 1e-5f, "moeForward(x " + ArrayMessages.show(x) + ", one expert, SwitchRouter(0))");
    }

    @Test
    @Tag("03-moe-forward")
    @DisplayName("tokens dropped by the capacity come out as zeros: 4 tokens all prefer expert 0 of 2, capacity 1")
    void moeForwardDroppedTokensAreZero() {
        manager.getEngine().setRandomSeed(23);
        MoeLayer layer = layer(2, 2, 4, new SwitchRouter(0.5));
        NDArray x = manager.create(new float[][] {{1, 2}, {2, 1}, {0.5f, 0.5f}, {3, 1}});
        NDArray gate = manager.create(new float[][] {{1, -1}, {1, -1}});   // every token scores expert 0 higher
        NDArray got = moeForward(x, gate, layer.router(), layer.experts(), false);
        NDArray expected = reference(x, gate, layer.router(), layer.experts(), false);
        String call = "moeForward(x " + ArrayMessages.show(x) + ", gate [[1, -1], [1, -1]], SwitchRouter(0.5): capacity 1, tokens 1-3 dropped)";
        assertClose(new float[6], Arrays.copyOfRange(got.toFloatArray(), 2, 8), 0f, call + ", rows 1..3");
        assertClose(expected.toFloatArray(), got.toFloatArray(), 1e-5f, call);
        assertTrue(Math.abs(got.toFloatArray()[0]) + Math.abs(got.toFloatArray()[1]) > 0, call + ": token 0 was kept, its row is not 0: " + ArrayMessages.show(got));
    }

    @Test
    @Tag("03-moe-forward")
    @DisplayName("gradients reach the gate W_g (the combine weights come from the router) and equal the toolkit's")
    void moeForwardGateGradient() {
        manager.getEngine().setRandomSeed(24);
        MoeLayer layer = layer(3, 4, 8, new GShardRouter(0));
        NDArray x = manager.randomNormal(new Shape(8, 4));
        NDArray probe = manager.randomNormal(new Shape(8, 4));
        float[] expected = gateGradient(g -> reference(x, g, layer.router(), layer.experts(), true), layer.gate().getArray(), probe);
        float[] got = gateGradient(g -> moeForward(x, g, layer.router(), layer.experts(), true), layer.gate().getArray(), probe);
        String call = "gradient of sum(moeForward(x " + ArrayMessages.show(x) + ", gate, GShardRouter(0), experts, training=true) * r) with respect to the gate";
        float norm = 0;
        for (float v : got) {
            norm += v * v;
        }
        assertTrue(norm > 1e-12f, call + " is zero: the output must be weighted by routing.weights(), which depend on x W_g; got " + Arrays.toString(got));
        assertClose(expected, got, 1e-4f, call);
    }

    private float[] gateGradient(java.util.function.Function<NDArray, NDArray> forward, NDArray gate, NDArray probe) {
        NDArray g = gate.duplicate();
        g.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(forward.apply(g).mul(probe).sum());
        }
        return g.getGradient().toFloatArray();
    }
}
