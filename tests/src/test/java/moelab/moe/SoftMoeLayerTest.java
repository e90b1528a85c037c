package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SoftMoeLayerTest {

    @Test
    void weightsSumToOneAlongTheirAxesAndIdentityExpertsMixTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[][] {{1, 0}, {0, 1}, {1, 1}});
            NDArray phi = manager.create(new float[][] {{1, -1}, {0, 2}});
            List<UnaryOperator<NDArray>> identity = List.of(a -> a, a -> a);
            NDList out = SoftMoeLayer.apply(x, phi, identity);
            assertThat(out.get(0).sum(new int[] {0}).allClose(manager.ones(new Shape(2)))).isTrue();
            assertThat(out.get(1).sum(new int[] {1}).allClose(manager.ones(new Shape(3)))).isTrue();
            NDArray expected = out.get(1).matMul(out.get(0).transpose()).matMul(x);
            assertThat(out.get(2).allClose(expected, 1e-5, 1e-6, false)).isTrue();
        }
    }

    @Test
    void layerMatchesTheStaticFormAndTrains() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            SoftMoeLayer layer = new SoftMoeLayer(3, 2, 4, 8);
            layer.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 4));
            layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            NDArray x = manager.randomNormal(new Shape(2, 5, 4));
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
                gc.backward(y.square().sum());
            }
            assertThat(y.getShape()).isEqualTo(new Shape(2, 5, 4));
            assertThat(layer.phi().getArray().getGradient().abs().sum().getFloat()).isPositive();
            var w = layer.experts().weights();
            for (int b = 0; b < 2; b++) {
                NDArray xb = x.get(b);
                List<UnaryOperator<NDArray>> fs = new java.util.ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    int e = j;
                    fs.add(s -> ai.djl.nn.Activation.gelu(s.matMul(w[0].getArray().get(e)).add(w[1].getArray().get(e)))
                            .matMul(w[2].getArray().get(e)).add(w[3].getArray().get(e)));
                }
                NDArray expected = SoftMoeLayer.apply(xb, layer.phi().getArray(), fs).get(2);
                assertThat(y.get(b).allClose(expected, 1e-4, 1e-5, false)).isTrue();
            }
        }
    }
}
