package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.moe.AuxLoss;
import moelab.moe.BalanceLoss;
import moelab.moe.ImportanceLoss;
import moelab.routing.Routing;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 04-load-balancing.ipynb}: CV², importance loss, Switch balance loss. */
@Forbids(exercise = "04-cv2", value = {"moelab.moe.AuxLoss", "moelab.moe.ImportanceLoss", "moelab.moe.LoadLoss"})
@Forbids(exercise = "04-importance", value = {"moelab.moe.ImportanceLoss", "moelab.moe.AuxLoss", "moelab.moe.LoadLoss"})
@Forbids(exercise = "04-balance", value = {"moelab.moe.BalanceLoss", "moelab.moe.AuxLoss"})
class LoadBalancingExercises extends NDArrayExercises {

    private NDArray cv2(NDArray x) {
        return Student.method("cv2", NDArray.class).call(NDArray.class, x);
    }

    private NDArray importance(Routing r) {
        return Student.method("importanceLoss", Routing.class).call(NDArray.class, r);
    }

    private NDArray balance(Routing r) {
        return Student.method("balanceLoss", Routing.class).call(NDArray.class, r);
    }

    /** A top-1 routing with the given probabilities (T, E); first choices as given. */
    private Routing routing(NDArray probs, int[] firstChoice) {
        int[][] expert = new int[firstChoice.length][1];
        int[][] position = new int[firstChoice.length][1];
        for (int t = 0; t < firstChoice.length; t++) {
            expert[t][0] = firstChoice[t];
            position[t][0] = -1; // positions do not matter to these losses
        }
        int experts = (int) probs.getShape().get(1);
        return new Routing(experts, 1, expert, position, manager.zeros(new Shape(firstChoice.length, 1)), probs, probs, null);
    }

    /** The gradient of a scalar function at x. */
    private float[] gradient(Function<NDArray, NDArray> f, float[][] x) {
        NDArray input = manager.create(x);
        input.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(f.apply(input));
        }
        NDArray grad = input.getGradient();
        assertNotNull(grad, "no gradient: compute the loss with NDArray operations");
        return grad.toFloatArray();
    }

    // ---- 04-cv2: NDArray cv2(NDArray x), (E) -> scalar ----------------------------------------------

    @Test
    @Tag("04-cv2")
    @DisplayName("cv2([1,1,1,1]) = 0, cv2([1,3]) = 0.25, cv2([0,0,4,0]) = 3 (population variance / mean²)")
    void cv2Golden() {
        assertEquals(0f, cv2(manager.create(new float[] {1, 1, 1, 1})).getFloat(), 1e-6f);
        assertEquals(0.25f, cv2(manager.create(new float[] {1, 3})).getFloat(), 1e-6f);
        NDArray c = cv2(manager.create(new float[] {0, 0, 4, 0}));
        assertEquals(new Shape(), c.getShape(), "a scalar");
        assertEquals(3f, c.getFloat(), 1e-5f);
    }

    @Test
    @Tag("04-cv2")
    @DisplayName("cv2 is differentiable and its gradient matches moelab's AuxLoss.cv2")
    void cv2Gradient() {
        float[][] x = {{1, 2, 3, 6}};
        float[] expected = gradient(v -> AuxLoss.cv2(v.reshape(4)), x);
        assertArrayEquals(expected, gradient(v -> cv2(v.reshape(4)), x), 1e-5f);
    }

    // ---- 04-importance: NDArray importanceLoss(Routing routing) -------------------------------------

    @Test
    @Tag("04-importance")
    @DisplayName("importances [3, 1] (one-hot probabilities) give 0.25; equal importances give 0")
    void importanceGolden() {
        NDArray oneHot = manager.create(new float[][] {{1, 0}, {1, 0}, {0, 1}, {1, 0}});
        assertEquals(0.25f, importance(routing(oneHot, new int[] {0, 0, 1, 0})).getFloat(), 1e-6f);
        NDArray even = manager.create(new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}});
        assertEquals(0f, importance(routing(even, new int[] {0, 1})).getFloat(), 1e-6f);
    }

    @Test
    @Tag("04-importance")
    @DisplayName("on random probabilities: value and gradient match moelab's ImportanceLoss")
    void importanceMatchesToolkit() {
        manager.getEngine().setRandomSeed(8);
        float[][] probs = toRows(manager.randomNormal(new Shape(6, 3)).softmax(-1), 3);
        int[] first = {0, 1, 2, 0, 1, 2};
        assertEquals(new ImportanceLoss().compute(routing(manager.create(probs), first)).getFloat(),
                importance(routing(manager.create(probs), first)).getFloat(), 1e-5f);
        float[] expected = gradient(p -> new ImportanceLoss().compute(routing(p, first)), probs);
        assertArrayEquals(expected, gradient(p -> importance(routing(p, first)), probs), 1e-5f);
    }

    // ---- 04-balance: NDArray balanceLoss(Routing routing) -------------------------------------------

    @Test
    @Tag("04-balance")
    @DisplayName("first choices [0,0,0,1], mean probabilities [.6,.4]: 2·(.75·.6 + .25·.4) = 1.1")
    void balanceGolden() {
        NDArray probs = manager.create(new float[][] {{0.7f, 0.3f}, {0.6f, 0.4f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
        assertEquals(1.1f, balance(routing(probs, new int[] {0, 0, 0, 1})).getFloat(), 1e-5f);
    }

    @Test
    @Tag("04-balance")
    @DisplayName("uniform routing gives exactly 1")
    void balanceUniform() {
        NDArray probs = manager.ones(new Shape(4, 4)).div(4);
        assertEquals(1f, balance(routing(probs, new int[] {0, 1, 2, 3})).getFloat(), 1e-6f);
    }

    @Test
    @Tag("04-balance")
    @DisplayName("the gradient reaches the router probabilities and matches moelab's BalanceLoss")
    void balanceGradient() {
        manager.getEngine().setRandomSeed(9);
        float[][] probs = toRows(manager.randomNormal(new Shape(5, 3)).softmax(-1), 3);
        int[] first = {2, 0, 2, 1, 2};
        float[] expected = gradient(p -> new BalanceLoss().compute(routing(p, first)), probs);
        assertArrayEquals(expected, gradient(p -> balance(routing(p, first)), probs), 1e-5f);
    }

    private static float[][] toRows(NDArray a, int width) {
        float[] flat = a.toFloatArray();
        float[][] rows = new float[flat.length / width][width];
        for (int i = 0; i < flat.length; i++) {
            rows[i / width][i % width] = flat[i];
        }
        return rows;
    }
}
