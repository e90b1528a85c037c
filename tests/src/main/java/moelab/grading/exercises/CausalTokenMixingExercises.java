package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.mixing.CausalMask;
import moelab.mixing.SpatialProjection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 06-gmlp-causal-token-mixing.ipynb}: the causal mask, causal token mixing. */
@Forbids(exercise = "06-causal-mask", value = {"moelab.mixing.CausalMask"})
@Forbids(exercise = "06-causal-mixing", value = {"moelab.mixing.CausalMask", "moelab.mixing.SpatialProjection", "moelab.mixing.SpatialGatingUnit"})
class CausalTokenMixingExercises extends NDArrayExercises {

    private NDArray causalMask(int length) {
        return Student.method("causalMask", NDManager.class, int.class).call(NDArray.class, manager, length);
    }

    private NDArray mixing(NDArray x, NDArray w, NDArray b) {
        return Student.method("causalTokenMixing", NDArray.class, NDArray.class, NDArray.class)
                .call(NDArray.class, x, w, b);
    }

    // ---- 06-causal-mask: NDArray causalMask(NDManager manager, int length), (T, T) -----------------

    @Test
    @Tag("06-causal-mask")
    @DisplayName("T=3 gives [[1,0,0],[1,1,0],[1,1,1]] in float32; T=1 gives [[1]]")
    void maskGolden() {
        NDArray m = causalMask(3);
        assertEquals(new Shape(3, 3), m.getShape(), "(T, T)");
        assertEquals(DataType.FLOAT32, m.getDataType(), "float32, so it can multiply weights");
        assertArrayEquals(new float[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, m.toFloatArray());
        assertArrayEquals(new float[] {1}, causalMask(1).toFloatArray());
    }

    @Test
    @Tag("06-causal-mask")
    @DisplayName("for T = 2..40: equals moelab's CausalMask.lowerTriangular")
    void maskMatchesToolkit() {
        for (int t = 2; t <= 40; t += 3) {
            NDArray expected = CausalMask.lowerTriangular(manager, t, DataType.FLOAT32);
            NDArray actual = causalMask(t);
            assertEquals(expected.getShape(), actual.getShape(), "shape for T=" + t);
            assertArrayEquals(expected.toFloatArray(), actual.toType(DataType.FLOAT32, false).toFloatArray(), "T=" + t);
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
        assertEquals(new Shape(1, 3, 1), y.getShape(), "(B, T, d)");
        assertArrayEquals(new float[] {2, 13, 114}, y.toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("06-causal-mixing")
    @DisplayName("replacing positions 4.. of x leaves outputs 0..3 exactly unchanged (and does change 4..)")
    void mixingIgnoresTheFuture() {
        manager.getEngine().setRandomSeed(21);
        NDArray x = manager.randomNormal(new Shape(2, 7, 3));
        NDArray w = manager.randomNormal(new Shape(7, 7));
        NDArray b = manager.randomNormal(new Shape(7));
        NDArray changed = x.duplicate();
        changed.set(new NDIndex(":, 4:, :"), manager.randomNormal(new Shape(2, 3, 3)));
        NDArray before = mixing(x, w, b);
        NDArray after = mixing(changed, w, b);
        assertArrayEquals(before.get(":, :4, :").toFloatArray(), after.get(":, :4, :").toFloatArray(), 0f,
                "outputs at positions 0..3 must not depend on positions 4..6");
        assertTrue(after.get(":, 4:, :").sub(before.get(":, 4:, :")).abs().max().getFloat() > 1e-3,
                "outputs at positions 4..6 should depend on the new inputs there");
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
        SpatialProjection projection = new SpatialProjection(1, t, true, 0.001f, 0f);
        projection.initialize(manager, DataType.FLOAT32, new Shape(1, 3, t, 5));
        projection.weights()[0].getArray().set(w.toFloatArray());
        projection.weights()[1].getArray().set(b.toFloatArray());
        NDArray expected = projection.forward(new ParameterStore(manager, false), new NDList(x.expandDims(0)), false)
                .head().squeeze(0);
        NDArray actual = mixing(x, w, b);
        assertEquals(expected.getShape(), actual.getShape(), "(B, T, d)");
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-4f);
    }
}
