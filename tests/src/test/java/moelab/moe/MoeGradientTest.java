package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import moelab.routing.GShardRouter;
import org.junit.jupiter.api.Test;

/**
 * Autograd of the whole layer (gate, routing weights, dispatch, experts, combine) against central
 * finite differences, in float64 on a tiny case where no small step flips a routing decision.
 */
class MoeGradientTest {

    private static final double EPS = 1e-6;

    @Test
    void gradientsOfGateAndExpertsMatchFiniteDifferences() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = MoeLayer.builder().setNumExperts(3).setModelDim(3).setHiddenDim(4)
                    .setRouter(new GShardRouter(0)).optAuxLoss(new ImportanceLoss()).build();
            layer.initialize(manager, DataType.FLOAT64, new Shape(4, 3));
            NDArray x = manager.randomNormal(new Shape(4, 3)).toType(DataType.FLOAT64, false);
            NDArray r = manager.randomNormal(new Shape(4, 3)).toType(DataType.FLOAT64, false);

            layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(layer, manager, x, r, true));
            }
            Parameter gate = layer.gate();
            Parameter w1 = layer.experts().weights()[0];
            Parameter w2 = layer.experts().weights()[2];
            for (Parameter p : new Parameter[] {gate, w1, w2}) {
                double[] grad = p.getArray().getGradient().toDoubleArray();
                for (int i : new int[] {0, 1, 4}) {
                    double numeric = numericGradient(layer, manager, x, r, p, i);
                    assertThat(grad[i]).as(p.getName() + "[" + i + "]")
                            .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
                }
            }
            assertThat(gate.getArray().getGradient().abs().sum().getDouble()).isPositive();
        }
    }

    /** {@code Σ y ⊙ r + importance loss}, so every output and the router probabilities count. */
    private static NDArray loss(MoeLayer layer, NDManager m, NDArray x, NDArray r, boolean train) {
        NDArray y = layer.forward(new ParameterStore(m, false), new NDList(x), train).head();
        return y.mul(r).sum().add(layer.lastAuxLoss());
    }

    private static double numericGradient(MoeLayer layer, NDManager m, NDArray x, NDArray r,
            Parameter p, int index) {
        NDArray w = p.getArray();
        double[] values = w.toDoubleArray();
        double original = values[index];
        values[index] = original + EPS;
        w.set(values);
        double plus = loss(layer, m, x, r, false).getDouble();
        values[index] = original - EPS;
        w.set(values);
        double minus = loss(layer, m, x, r, false).getDouble();
        values[index] = original;
        w.set(values);
        return (plus - minus) / (2 * EPS);
    }
}
