package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class SharedExpertMoeTest {

    @Test
    void outputIsSharedPlusRouted() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer routed = MoeLayer.builder().setNumExperts(4).setModelDim(6).setHiddenDim(3)
                    .setRouter(new SwitchRouter(0)).build();
            SharedExpertMoe block = new SharedExpertMoe(6, 12, routed);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 6));
            NDArray x = manager.randomNormal(new Shape(2, 5, 6));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray y = block.forward(store, new NDList(x), false).head();
            NDArray routedOnly = routed.forward(store, new NDList(x), false).head();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 5, 6));
            assertThat(y.sub(routedOnly).abs().sum().getFloat()).isPositive();
            assertThat(block.lastRouting().numItems()).isEqualTo(10);
            assertThat(block.parameterCount()).isEqualTo(routed.parameterCount() + 6 * 12 + 12 + 12 * 6 + 6);
        }
    }
}
