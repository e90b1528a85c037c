package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import moelab.experts.Experts;
import moelab.routing.GShardRouter;
import moelab.routing.Router;
import moelab.routing.Routing;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

/**
 * The sorted expert path ({@link ExpertExecution#SORTED}) against the padded one: same weights,
 * same input, the same outputs and the same gradients of every parameter and of the input, in
 * float64 (they differ only in the order of sums inside the matmuls).
 */
class SortedExpertsTest {

    private static final double TOLERANCE = 1e-12;

    /** Output, input gradient and parameter gradients of one forward + backward. */
    private record Pass(double[] output, double[] inputGradient, List<double[]> gradients,
                        Routing routing) {}

    @Test
    void droplessTop1GivesThePaddedOutputsAndGradients() {
        Pass[] both = bothPaths(() -> new SwitchRouter(0), 4, 12, 1);
        assertThat(both[0].routing().dropped()).as("dropless routing drops nothing").isZero();
        assertSame(both, "Switch top-1, no dropping, E=4, T=12");
    }

    @Test
    void top2WithDropsGivesThePaddedOutputsAndGradients() {
        Pass[] both = bothPaths(() -> new GShardRouter(0.5), 4, 12, 2);
        assertThat(both[0].routing().dropped())
                .as("capacity factor 0.5 must drop some of the 24 assignments").isPositive();
        assertSame(both, "GShard top-2, capacity factor 0.5, E=4, T=12");
    }

    @Test
    void expertsWithoutTokensAreSkipped() {
        Pass[] both = bothPaths(() -> new SwitchRouter(0), 8, 5, 3);
        int[] load = both[0].routing().expertLoad();
        assertThat(Arrays.stream(load).filter(n -> n == 0).count())
                .as("5 tokens over 8 experts leave experts empty, load " + Arrays.toString(load))
                .isPositive();
        assertSame(both, "Switch top-1, no dropping, E=8, T=5");
    }

    @Test
    void oneExpertNeedsNoSort() {
        assertSame(bothPaths(() -> new SwitchRouter(0), 1, 6, 4), "Switch top-1, E=1, T=6");
    }

    @Test
    void layerReportsItsExecutionAndRefusesNone() {
        MoeLayer layer = MoeLayer.builder().setNumExperts(2).setModelDim(3).setHiddenDim(4)
                .setRouter(new SwitchRouter(0)).optExecution(ExpertExecution.SORTED).build();
        assertThat(layer.execution()).isEqualTo(ExpertExecution.SORTED);
        assertThat(layer.toString()).contains("SORTED");
        assertThatThrownBy(() -> MoeLayer.builder().optExecution(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ExpertExecution.PADDED");
    }

    @Test
    void forwardEachNeedsOneExpertPerBlock() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Experts experts = new Experts(2, 3, 4);
            experts.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 3));
            ParameterStore store = new ParameterStore(manager, false);
            NDList rows = new NDList(manager.ones(new Shape(2, 3)));
            assertThatThrownBy(() -> experts.forwardEach(store, rows, new long[] {0, 1}, false))
                    .hasMessageContaining("1 row blocks for 2 expert indices");
            assertThatThrownBy(() -> experts.forwardEach(store, rows, new long[] {2}, false))
                    .hasMessageContaining("expert 2, outside 0..1");
        }
    }

    private static void assertSame(Pass[] both, String input) {
        Pass padded = both[0];
        Pass sorted = both[1];
        assertClose(sorted.output(), padded.output(), input + ": output");
        assertClose(sorted.inputGradient(), padded.inputGradient(), input + ": input gradient");
        for (int i = 0; i < padded.gradients().size(); i++) {
            assertClose(sorted.gradients().get(i), padded.gradients().get(i),
                    input + ": gradient of parameter " + i);
        }
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > TOLERANCE * (1 + Math.abs(expected[i]))) {
                throw new AssertionError(what + " differs at " + i + ": padded path "
                        + Arrays.toString(expected) + ", sorted path " + Arrays.toString(actual));
            }
        }
    }

    /** The padded pass and the sorted pass of one layer's weights on one input. */
    private static Pass[] bothPaths(Supplier<Router> router, int experts, int tokens, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray x = manager.randomNormal(new Shape(tokens, 3)).toType(DataType.FLOAT64, false);
            NDArray r = manager.randomNormal(new Shape(tokens, 3)).toType(DataType.FLOAT64, false);
            MoeLayer padded = layer(router.get(), experts, ExpertExecution.PADDED, manager);
            MoeLayer sorted = layer(router.get(), experts, ExpertExecution.SORTED, manager);
            List<Parameter> from = padded.getParameters().values();
            List<Parameter> to = sorted.getParameters().values();
            for (int i = 0; i < from.size(); i++) {
                to.get(i).getArray().set(from.get(i).getArray().toDoubleArray());
            }
            return new Pass[] {pass(padded, x, r, manager), pass(sorted, x, r, manager)};
        }
    }

    private static MoeLayer layer(Router router, int experts, ExpertExecution execution,
            NDManager manager) {
        MoeLayer layer = MoeLayer.builder().setNumExperts(experts).setModelDim(3).setHiddenDim(5)
                .setRouter(router).optExecution(execution).build();
        layer.initialize(manager, DataType.FLOAT64, new Shape(1, 3));
        layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        return layer;
    }

    /** {@code Σ y ⊙ r}, so every output element has its own weight in the loss. */
    private static Pass pass(MoeLayer layer, NDArray x, NDArray r, NDManager manager) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        double[] output;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .head();
            output = y.toDoubleArray();
            gc.backward(y.mul(r).sum());
        }
        List<double[]> gradients = new ArrayList<>();
        for (Parameter p : layer.getParameters().values()) {
            gradients.add(p.getArray().getGradient().toDoubleArray());
        }
        return new Pass(output, input.getGradient().toDoubleArray(), gradients,
                layer.lastRouting());
    }
}
