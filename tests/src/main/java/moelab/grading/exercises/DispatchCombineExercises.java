package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.routing.GShardRouter;
import moelab.routing.Routing;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 03-experts-dispatch-combine.ipynb}: dispatch and combine by gather. */
@Forbids(exercise = "03-dispatch", value = {"moelab.moe.Dispatch", "moelab.moe.MoeLayer", "moelab.moe.MoeBlock"})
@Forbids(exercise = "03-combine", value = {"moelab.moe.Combine", "moelab.moe.MoeLayer", "moelab.moe.MoeBlock"})
class DispatchCombineExercises extends NDArrayExercises {

    /** A routing written out by hand: {@code weights} (T, S); probabilities are uniform. */
    private Routing routing(int experts, int capacity, int[][] expert, int[][] position, float[][] weights) {
        NDArray probs = manager.ones(new Shape(expert.length, experts)).div(experts);
        return new Routing(experts, capacity, expert, position, manager.create(weights), probs, probs.log(), null);
    }

    private NDArray dispatch(NDArray items, Routing routing) {
        return Student.method("dispatch", NDArray.class, Routing.class).call(NDArray.class, items, routing);
    }

    private NDArray combine(NDArray outputs, Routing routing) {
        return Student.method("combine", NDArray.class, Routing.class).call(NDArray.class, outputs, routing);
    }

    // ---- 03-dispatch: NDArray dispatch(NDArray items, Routing routing), (T, d) -> (E, C, d) --------

    @Test
    @Tag("03-dispatch")
    @DisplayName("3 tokens, 2 experts, capacity 2, top-1 [1, 0, 1]: buffers [[x1, 0], [x0, x2]]")
    void dispatchGolden() {
        NDArray items = manager.create(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Routing r = routing(2, 2, new int[][] {{1}, {0}, {1}}, new int[][] {{0}, {0}, {1}}, new float[][] {{1}, {1}, {1}});
        NDArray buffers = dispatch(items, r);
        assertEquals(new Shape(2, 2, 2), buffers.getShape(), "(E, C, d)");
        assertArrayEquals(new float[] {3, 4, 0, 0, 1, 2, 5, 6}, buffers.toFloatArray(), 1e-6f);
    }

    @Test
    @Tag("03-dispatch")
    @DisplayName("a dropped slot (position -1) is not written anywhere; empty rows stay zero")
    void dispatchSkipsDropped() {
        NDArray items = manager.create(new float[][] {{1, 1}, {2, 2}, {3, 3}});
        Routing r = routing(2, 1, new int[][] {{0}, {0}, {1}}, new int[][] {{0}, {-1}, {0}}, new float[][] {{1}, {0}, {1}});
        assertArrayEquals(new float[] {1, 1, 3, 3}, dispatch(items, r).toFloatArray(), 1e-6f);
    }

    @Test
    @Tag("03-dispatch")
    @DisplayName("on random tokens with GShard top-2 routing (capacity factor 0.5): same as moelab's Dispatch")
    void dispatchMatchesToolkit() {
        manager.getEngine().setRandomSeed(3);
        NDArray items = manager.randomNormal(new Shape(12, 5));
        Routing r = new GShardRouter(0.5).route(manager.randomNormal(new Shape(12, 4)), false);
        NDArray expected = Dispatch.apply(items, r);
        NDArray got = dispatch(items, r);
        assertEquals(expected.getShape(), got.getShape(), "(E, C, d)");
        assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-5f);
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
        NDArray y = combine(outputs, r);
        assertEquals(new Shape(3, 2), y.getShape(), "(T, d)");
        assertArrayEquals(new float[] {1.8f, 1.8f, 2.8f, 2.8f, 2f, 2f}, y.toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("03-combine")
    @DisplayName("on random expert outputs with GShard top-2 routing: same as moelab's Combine")
    void combineMatchesToolkit() {
        manager.getEngine().setRandomSeed(4);
        Routing r = new GShardRouter(0.75).route(manager.randomNormal(new Shape(10, 3)), false);
        NDArray outputs = manager.randomNormal(new Shape(3, r.capacity(), 6));
        NDArray expected = Combine.apply(outputs, r);
        NDArray got = combine(outputs, r);
        assertEquals(expected.getShape(), got.getShape(), "(T, d)");
        assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-5f);
    }

    @Test
    @Tag("03-combine")
    @DisplayName("combine after dispatch with identity experts and no dropping gives back weight-sum × input")
    void combineInvertsDispatch() {
        manager.getEngine().setRandomSeed(5);
        NDArray items = manager.randomNormal(new Shape(8, 4));
        Routing r = new GShardRouter(0).route(manager.randomNormal(new Shape(8, 4)), false);
        NDArray y = combine(Dispatch.apply(items, r), r);
        NDArray expected = items.mul(r.weights().sum(new int[] {1}, true));
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-5f);
    }
}
