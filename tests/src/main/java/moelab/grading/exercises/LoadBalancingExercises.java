package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertClose;
import static moelab.grading.exercises.ArrayMessages.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
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

    /** Calls a student loss and checks that it returned a scalar. */
    private static NDArray scalar(NDArray loss, String call) {
        assertNotNull(loss, call + " returned null");
        assertEquals(new Shape(), loss.getShape(), call + " must return a scalar (shape ()), got " + show(loss));
        return loss;
    }

    private NDArray cv2(NDArray x) {
        return scalar(Student.method("cv2", NDArray.class).call(NDArray.class, x), "cv2" + show(x));
    }

    private NDArray importance(Routing r) {
        return scalar(Student.method("importanceLoss", Routing.class).call(NDArray.class, r), "importanceLoss(" + describe(r) + ")");
    }

    private NDArray balance(Routing r) {
        return scalar(Student.method("balanceLoss", Routing.class).call(NDArray.class, r), "balanceLoss(" + describe(r) + ")");
    }

    private static String describe(Routing r) {
        return "routing with first choices " + Arrays.toString(Arrays.stream(r.experts()).mapToInt(row -> row[0]).toArray())
                + " and probabilities " + show(r.probs());
    }

    /** A top-1 routing with the given probabilities (T, E), also used as its logits; first choices as given. */
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

    private void cv2Is(float expected, float[] x, float tolerance) {
        assertClose(expected, cv2(manager.create(x)).getFloat(), tolerance, "cv2(" + Arrays.toString(x) + ")");
    }

    @Test
    @Tag("04-cv2")
    @DisplayName("cv2([1,1,1,1]) = 0, cv2([1,3]) = 0.25, cv2([0,0,4,0]) = 3 (population variance / mean², a scalar)")
    void cv2Golden() {
        cv2Is(0f, new float[] {1, 1, 1, 1}, 1e-6f);
        cv2Is(0.25f, new float[] {1, 3}, 1e-6f);
        cv2Is(3f, new float[] {0, 0, 4, 0}, 1e-5f);
    }

    @Test
    @Tag("04-cv2")
    @DisplayName("cv2 does not depend on the scale: [1000, 3000] and [0.001, 0.003] both give 0.25")
    void cv2ScaleFree() {
        cv2Is(0.25f, new float[] {1000, 3000}, 1e-5f);
        cv2Is(0.25f, new float[] {0.001f, 0.003f}, 1e-4f);
    }

    @Test
    @Tag("04-cv2")
    @DisplayName("cv2 is differentiable: its gradient at [1, 2, 3, 6] matches moelab's AuxLoss.cv2")
    void cv2Gradient() {
        float[][] x = {{1, 2, 3, 6}};
        float[] expected = gradient(v -> AuxLoss.cv2(v.reshape(4)), x);
        assertClose(expected, gradient(v -> cv2(v.reshape(4)), x), 1e-5f, "gradient of cv2([1, 2, 3, 6])");
    }

    // ---- 04-importance: NDArray importanceLoss(Routing routing) -------------------------------------

    @Test
    @Tag("04-importance")
    @DisplayName("importances [3, 1] (one-hot probabilities) give 0.25; equal importances give 0")
    void importanceGolden() {
        NDArray oneHot = manager.create(new float[][] {{1, 0}, {1, 0}, {0, 1}, {1, 0}});
        Routing r = routing(oneHot, new int[] {0, 0, 1, 0});
        assertClose(0.25f, importance(r).getFloat(), 1e-6f, "importanceLoss(" + describe(r) + ")");
        NDArray even = manager.create(new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}});
        Routing evenRouting = routing(even, new int[] {0, 1});
        assertClose(0f, importance(evenRouting).getFloat(), 1e-6f, "importanceLoss(" + describe(evenRouting) + ")");
    }

    @Test
    @Tag("04-importance")
    @DisplayName("extreme logits: probabilities softmax([[1000,-1000],[-1000,1000],[1000,-1000],[-1000,1000]]) give importances [2, 2] and loss 0")
    void importanceExtreme() {
        NDArray probs = manager.create(new float[][] {{1000, -1000}, {-1000, 1000}, {1000, -1000}, {-1000, 1000}}).softmax(-1);
        Routing r = routing(probs, new int[] {0, 1, 0, 1});
        assertClose(0f, importance(r).getFloat(), 1e-6f, "importanceLoss(" + describe(r) + ")");
    }

    @Test
    @Tag("04-importance")
    @DisplayName("on random (6, 3) probabilities: value and gradient match moelab's ImportanceLoss")
    void importanceMatchesToolkit() {
        manager.getEngine().setRandomSeed(8);
        float[][] probs = toRows(manager.randomNormal(new Shape(6, 3)).softmax(-1), 3);
        int[] first = {0, 1, 2, 0, 1, 2};
        Routing r = routing(manager.create(probs), first);
        assertClose(new ImportanceLoss().compute(r).getFloat(), importance(r).getFloat(), 1e-5f, "importanceLoss(" + describe(r) + ")");
        float[] expected = gradient(p -> new ImportanceLoss().compute(routing(p, first)), probs);
        assertClose(expected, gradient(p -> importance(routing(p, first)), probs), 1e-5f,
                "gradient of importanceLoss(" + describe(r) + ") with respect to the probabilities");
    }

    // ---- 04-balance: NDArray balanceLoss(Routing routing) -------------------------------------------

    private void balanceIs(float expected, Routing r, float tolerance) {
        assertClose(expected, balance(r).getFloat(), tolerance, "balanceLoss(" + describe(r) + ")");
    }

    @Test
    @Tag("04-balance")
    @DisplayName("first choices [0,0,0,1], mean probabilities [.6,.4]: 2·(.75·.6 + .25·.4) = 1.1")
    void balanceGolden() {
        NDArray probs = manager.create(new float[][] {{0.7f, 0.3f}, {0.6f, 0.4f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
        balanceIs(1.1f, routing(probs, new int[] {0, 0, 0, 1}), 1e-5f);
    }

    @Test
    @Tag("04-balance")
    @DisplayName("uniform routing gives exactly 1; a collapsed one (all on expert 0, probability 1 from logits ±1000) gives E = 3")
    void balanceUniformAndCollapsed() {
        balanceIs(1f, routing(manager.ones(new Shape(4, 4)).div(4), new int[] {0, 1, 2, 3}), 1e-6f);
        NDArray collapsed = manager.create(new float[][] {{1000, -1000, -1000}, {1000, -1000, -1000}}).softmax(-1);
        balanceIs(3f, routing(collapsed, new int[] {0, 0}), 1e-5f);
    }

    @Test
    @Tag("04-balance")
    @DisplayName("an unused first slot (expert -1) is counted in no f_e: first choices [0, -1], probabilities all .5: f = [.5, 0], 2·(.5·.5) = 0.5")
    void balanceUnusedSlot() {
        balanceIs(0.5f, routing(manager.ones(new Shape(2, 2)).div(2), new int[] {0, -1}), 1e-6f);
    }

    @Test
    @Tag("04-balance")
    @DisplayName("the gradient reaches the router probabilities and matches moelab's BalanceLoss")
    void balanceGradient() {
        manager.getEngine().setRandomSeed(9);
        float[][] probs = toRows(manager.randomNormal(new Shape(5, 3)).softmax(-1), 3);
        int[] first = {2, 0, 2, 1, 2};
        float[] expected = gradient(p -> new BalanceLoss().compute(routing(p, first)), probs);
        assertClose(expected, gradient(p -> balance(routing(p, first)), probs), 1e-5f,
                "gradient of balanceLoss(" + describe(routing(manager.create(probs), first)) + ") with respect to the probabilities");
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
