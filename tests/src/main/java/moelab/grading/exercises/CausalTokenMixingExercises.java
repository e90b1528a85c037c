package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertArrayClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.mixing.CausalMask;
import moelab.mixing.SpatialGatingUnit;
import moelab.mixing.SpatialProjection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 06-gmlp-causal-token-mixing.ipynb}: the causal mask, causal token mixing. */
@Forbids(exercise = "06-causal-mask", value = {"moelab.mixing.CausalMask"})
@Forbids(exercise = "06-causal-mixing", value = {"moelab.mixing.CausalMask", "moelab.mixing.SpatialProjection", "moelab.mixing.SpatialGatingUnit"})
@Forbids(exercise = "06-sgu", value = {"moelab.mixing.SpatialGatingUnit", "moelab.mixing.SpatialProjection", "moelab.mixing.CausalMask", "ai.djl.nn.norm.LayerNorm"})
class CausalTokenMixingExercises extends NDArrayExercises {

    private NDArray causalMask(int length) {
        return Student.method("causalMask", NDManager.class, int.class).call(NDArray.class, manager, length);
    }

    private NDArray mixing(NDArray x, NDArray w, NDArray b) {
        return Student.method("causalTokenMixing", NDArray.class, NDArray.class, NDArray.class)
                .call(NDArray.class, x, w, b);
    }

    private NDArray gating(NDArray z, NDArray w, NDArray b) {
        return Student.method("spatialGating", NDArray.class, NDArray.class, NDArray.class)
                .call(NDArray.class, z, w, b);
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and values, naming the input, both arrays and the first difference. */
    // ---- 06-causal-mask: NDArray causalMask(NDManager manager, int length), (T, T) -----------------

    @Test
    @Tag("06-causal-mask")
    @DisplayName("T=3 gives [[1,0,0],[1,1,0],[1,1,1]] in float32; T=1 gives [[1]]")
    void maskGolden() {
        NDArray m = causalMask(3);
        assertEquals(new Shape(3, 3), m.getShape(), "input: T=3: output shape (T, T)");
        assertEquals(DataType.FLOAT32, m.getDataType(), "input: T=3: data type (float32, so it can multiply weights)");
        assertArrayClose("input: T=3", new float[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, m.toFloatArray(), 0f);
        NDArray one = causalMask(1);
        assertEquals(new Shape(1, 1), one.getShape(), "input: T=1: output shape (T, T)");
        assertArrayClose("input: T=1", new float[] {1}, one.toFloatArray(), 0f);
    }

    @Test
    @Tag("06-causal-mask")
    @DisplayName("for T = 2, 5, ..., 38: equals moelab's CausalMask.lowerTriangular")
    void maskMatchesToolkit() {
        for (int t = 2; t <= 40; t += 3) {
            NDArray expected = CausalMask.lowerTriangular(manager, t, DataType.FLOAT32);
            assertArrayClose("input: T=" + t + " (expected: CausalMask.lowerTriangular)", expected, causalMask(t), 0f);
        }
    }

    // ---- 06-causal-mixing: NDArray causalTokenMixing(NDArray x, NDArray w, NDArray b) --------------

    @Test
    @Tag("06-causal-mixing")
    @DisplayName("x = [1, 10, 100] (B=1, d=1), W all ones, b = [1, 2, 3]: y = [1+1, 11+2, 111+3]")
    void mixingGolden() {
        NDArray x = manager.create(new float[] {1, 10, 100}).reshape(1, 3, 1);
        NDArray w = manager.ones(new Shape(3, 3));
        NDArray y = mixing(x, w, manager.create(new float[] {1, 2, 3}));
        assertArrayClose("input: x = [1, 10, 100] as (1, 3, 1), W = ones(3, 3), b = [1, 2, 3]",
                manager.create(new float[] {2, 13, 114}, new Shape(1, 3, 1)), y, 1e-5f);
    }

    @Test
    @Tag("06-causal-mixing")
    @DisplayName("replacing positions 4.. of x leaves outputs 0..3 exactly unchanged (and does change 4..)")
    void mixingIgnoresTheFuture() {
        assertIgnoresTheFuture(21, "x", 3, this::mixing);
    }

    @Test
    @Tag("06-causal-mixing")
    @DisplayName("on random inputs: equals moelab's causal SpatialProjection with the same W and b")
    void mixingMatchesToolkit() {
        manager.getEngine().setRandomSeed(22);
        int t = 6;
        NDArray x = manager.randomNormal(new Shape(3, t, 5));
        NDArray w = manager.randomNormal(new Shape(t, t));
        NDArray b = manager.randomNormal(new Shape(t));
        assertArrayClose("input: random x (3, 6, 5), W (6, 6), b (6) (expected: causal SpatialProjection)",
                projection(x, w, b), mixing(x, w, b), 1e-4f);
    }

    @Test
    @Tag("06-causal-mixing")
    @DisplayName("W with entries of ±1000 above the diagonal: they never reach the output (finite, equals SpatialProjection)")
    void mixingExtremeFutureWeights() {
        manager.getEngine().setRandomSeed(23);
        int t = 5;
        NDArray x = manager.randomNormal(new Shape(2, t, 3));
        NDArray lower = manager.randomNormal(new Shape(t, t));
        NDArray upper = manager.ones(new Shape(t, t)).sub(CausalMask.lowerTriangular(manager, t, DataType.FLOAT32));
        NDArray signs = manager.randomInteger(0, 2, new Shape(t, t), DataType.INT32).toType(DataType.FLOAT32, false).mul(2).sub(1);
        NDArray w = lower.add(upper.mul(signs).mul(1000)); // ±1000 above the diagonal
        NDArray b = manager.randomNormal(new Shape(t));
        NDArray actual = mixing(x, w, b);
        String input = "input: random x (2, 5, 3), W (5, 5) random with ±1000 above the diagonal, b (5)";
        assertFalse(actual.isNaN().any().getBoolean() || actual.isInfinite().any().getBoolean(), input + ": output not finite");
        assertArrayClose(input + " (expected: causal SpatialProjection)", projection(x, w, b), actual, 1e-4f);
    }

    private NDArray projection(NDArray x, NDArray w, NDArray b) {
        int t = (int) x.getShape().get(1);
        SpatialProjection projection = new SpatialProjection(1, t, true, 0.001f, 0f);
        projection.initialize(manager, DataType.FLOAT32, new Shape(1, x.getShape().get(0), t, x.getShape().get(2)));
        projection.weights()[0].getArray().set(w.toFloatArray());
        projection.weights()[1].getArray().set(b.toFloatArray());
        return projection.forward(new ParameterStore(manager, false), new NDList(x.expandDims(0)), false).head().squeeze(0);
    }

    // ---- 06-sgu: NDArray spatialGating(NDArray z, NDArray w, NDArray b), (B, T, 2f) -> (B, T, f) ------

    @Test
    @Tag("06-sgu")
    @DisplayName("u = [[1,2],[3,4]], v = [[0,2],[5,1]], W = [[1,9],[2,3]], b = [0.5,-1]: output [[-0.5,3],[0,-8]]")
    void sguGolden() {
        NDArray z = manager.create(new float[] {1, 2, 0, 2, 3, 4, 5, 1}, new Shape(1, 2, 4)); // u | v per position
        NDArray w = manager.create(new float[] {1, 9, 2, 3}, new Shape(2, 2)); // 9 is above the diagonal
        NDArray b = manager.create(new float[] {0.5f, -1});
        assertArrayClose("input: z = [[1, 2 | 0, 2], [3, 4 | 5, 1]] (u | v), W = [[1, 9], [2, 3]], b = [0.5, -1]"
                        + " (LN(v) = [[-1, 1], [1, -1]]; gate = [[-0.5, 1.5], [0, -2]])",
                manager.create(new float[] {-0.5f, 3, 0, -8}, new Shape(1, 2, 2)), gating(z, w, b), 1e-4f);
    }

    @Test
    @Tag("06-sgu")
    @DisplayName("the initial unit, W = 0 and b = 1, passes u through unchanged")
    void sguStartsAsIdentityOnU() {
        manager.getEngine().setRandomSeed(24);
        NDArray z = manager.randomNormal(new Shape(2, 5, 6));
        NDArray y = gating(z, manager.zeros(new Shape(5, 5)), manager.ones(new Shape(5)));
        assertArrayClose("input: random z (2, 5, 6), W = 0 (5, 5), b = 1 (5) (expected: u = z[:, :, :3])",
                z.get(":, :, :3"), y, 1e-6f);
    }

    @Test
    @Tag("06-sgu")
    @DisplayName("replacing positions 4.. of z leaves outputs 0..3 exactly unchanged (and does change 4..)")
    void sguIgnoresTheFuture() {
        assertIgnoresTheFuture(25, "z", 6, this::gating);
    }

    /** A token-mixing operation under test: (B, T, ·) input, W (T, T), b (T). */
    private interface TokenMixing {
        NDArray apply(NDArray input, NDArray w, NDArray b);
    }

    /**
     * Random input (2, 7, width), W (7, 7), b (7); replacing positions 4.. of the input must leave
     * outputs 0..3 exactly unchanged and change outputs 4..6.
     */
    private void assertIgnoresTheFuture(int seed, String name, int width, TokenMixing op) {
        manager.getEngine().setRandomSeed(seed);
        NDArray input = manager.randomNormal(new Shape(2, 7, width));
        NDArray w = manager.randomNormal(new Shape(7, 7));
        NDArray b = manager.randomNormal(new Shape(7));
        NDArray changed = input.duplicate();
        changed.set(new NDIndex(":, 4:, :"), manager.randomNormal(new Shape(2, 3, width)));
        NDArray before = op.apply(input, w, b);
        NDArray after = op.apply(changed, w, b);
        String described = "input: random " + name + " (2, 7, " + width + "), W (7, 7), b (7), then " + name + "[:, 4:, :] replaced";
        assertArrayClose(described + ", outputs at positions 0..3 (they must not depend on positions 4..6)",
                before.get(":, :4, :").toFloatArray(), after.get(":, :4, :").toFloatArray(), 0f);
        float moved = after.get(":, 4:, :").sub(before.get(":, 4:, :")).abs().max().getFloat();
        assertTrue(moved > 1e-3, described + ": expected outputs at positions 4..6 to change, largest change was " + moved);
    }

    @Test
    @Tag("06-sgu")
    @DisplayName("on random inputs: equals moelab's causal SpatialGatingUnit with the same W and b")
    void sguMatchesToolkit() {
        manager.getEngine().setRandomSeed(26);
        NDArray z = manager.randomNormal(new Shape(3, 5, 8));
        NDArray w = manager.randomNormal(new Shape(5, 5));
        NDArray b = manager.randomNormal(new Shape(5));
        assertArrayClose("input: random z (3, 5, 8), W (5, 5), b (5) (expected: causal SpatialGatingUnit)",
                toolkitGating(z, w, b), gating(z, w, b), 1e-4f);
    }

    @Test
    @Tag("06-sgu")
    @DisplayName("v of size 10^4 and W with ±1000 above the diagonal: finite, equals SpatialGatingUnit")
    void sguExtremeInputs() {
        manager.getEngine().setRandomSeed(27);
        int t = 4;
        NDArray z = manager.randomNormal(new Shape(2, t, 6)).mul(10_000);
        NDArray upper = manager.ones(new Shape(t, t)).sub(CausalMask.lowerTriangular(manager, t, DataType.FLOAT32));
        NDArray w = manager.randomNormal(new Shape(t, t)).add(upper.mul(1000));
        NDArray b = manager.randomNormal(new Shape(t));
        NDArray actual = gating(z, w, b);
        String input = "input: z = 10^4 · random (2, 4, 6), W (4, 4) random + 1000 above the diagonal, b (4)";
        assertFalse(actual.isNaN().any().getBoolean() || actual.isInfinite().any().getBoolean(), input + ": output not finite");
        assertArrayClose(input + " (expected: causal SpatialGatingUnit)", toolkitGating(z, w, b), actual, 1e-3f);
    }

    private NDArray toolkitGating(NDArray z, NDArray w, NDArray b) {
        int t = (int) z.getShape().get(1);
        int f = (int) z.getShape().get(2) / 2;
        SpatialGatingUnit sgu = new SpatialGatingUnit(f, t, true);
        sgu.initialize(manager, DataType.FLOAT32, z.getShape());
        sgu.spatial().weights()[0].getArray().set(w.toFloatArray());
        sgu.spatial().weights()[1].getArray().set(b.toFloatArray());
        return sgu.forward(new ParameterStore(manager, false), new NDList(z), false).head();
    }
}
