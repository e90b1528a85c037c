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
import moelab.routing.GShardRouter;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class MoeLayerTest {

    @Test
    void forwardKeepsShapeAndGradientsReachRouterAndExperts() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = MoeLayer.builder().setNumExperts(3).setModelDim(4).setHiddenDim(8)
                    .setRouter(new SwitchRouter(1.0)).optAuxLoss(new BalanceLoss()).build();
            layer.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 4));
            layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            NDArray x = manager.randomNormal(new Shape(2, 3, 4));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .head();
                assertThat(y.getShape()).isEqualTo(new Shape(2, 3, 4));
                gc.backward(y.square().sum().add(layer.lastAuxLoss()));
            }
            assertThat(layer.gate().getArray().getGradient().abs().sum().getFloat()).isPositive();
            assertThat(layer.experts().weights()[0].getArray().getGradient().abs().sum().getFloat())
                    .isPositive();
            assertThat(layer.lastRouting().numItems()).isEqualTo(6);
        }
    }
}
