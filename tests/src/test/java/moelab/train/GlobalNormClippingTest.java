package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GlobalNormClippingTest {

    /** Parameters a = (0, 0) and b = (0) with gradients (3, 0) and (4): global norm 5. */
    private static ParameterList params(NDManager manager) {
        Parameter a = Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).build();
        Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build();
        a.setArray(manager.zeros(new ai.djl.ndarray.types.Shape(2)));
        b.setArray(manager.zeros(new ai.djl.ndarray.types.Shape(1)));
        a.getArray().setRequiresGradient(true);
        b.getArray().setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = a.getArray().mul(manager.create(new float[] {3, 0})).sum()
                    .add(b.getArray().mul(4).sum());
            gc.backward(loss);
        }
        ParameterList list = new ParameterList();
        list.add("a", a);
        list.add("b", b);
        return list;
    }

    @Test
    void scalesAllGradientsByMaxOverNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList p = params(manager);
            double before = new GlobalNormClipping(1.0).clip(p);
            assertThat(before).isCloseTo(5.0, within(1e-6));
            assertThat(p.get("a").getArray().getGradient().toFloatArray())
                    .containsExactly(new float[] {0.6f, 0f}, within(1e-5f));
            assertThat(p.get("b").getArray().getGradient().toFloatArray())
                    .containsExactly(new float[] {0.8f}, within(1e-5f));
            assertThat(GlobalNormClipping.globalNorm(p)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList p = params(manager);
            assertThat(new GlobalNormClipping(10).clip(p)).isCloseTo(5.0, within(1e-6));
            assertThat(p.get("a").getArray().getGradient().toFloatArray())
                    .containsExactly(3f, 0f);
            assertThat(p.get("b").getArray().getGradient().toFloatArray()).containsExactly(4f);
        }
    }
}
