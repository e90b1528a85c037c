package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import moelab.routing.GShardRouter;
import moelab.routing.Router;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

/** SPEC §2 invariants of the MoE layer. */
class MoeInvariantsTest {

    private static MoeLayer layer(NDManager manager, int experts, Router router, DataType type) {
        MoeLayer layer = MoeLayer.builder().setNumExperts(experts).setModelDim(4).setHiddenDim(6)
                .setRouter(router).build();
        layer.initialize(manager, type, new Shape(5, 4));
        return layer;
    }

    private static NDArray forward(MoeLayer layer, NDManager manager, NDArray x) {
        return layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    /** The dense expert 0: {@code GELU(x W1_0 + b1_0) W2_0 + b2_0} on {@code (T, d)}. */
    private static NDArray denseExpert0(MoeLayer layer, NDArray x) {
        var w = layer.experts().weights();
        NDArray h = x.matMul(w[0].getArray().get(0)).add(w[1].getArray().get(0));
        return Activation.gelu(h).matMul(w[2].getArray().get(0)).add(w[3].getArray().get(0));
    }

    @Test
    void oneExpertEqualsTheDenseLayer() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = layer(manager, 1, new SwitchRouter(0), DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(5, 4));
            assertThat(forward(layer, manager, x).allClose(denseExpert0(layer, x), 1e-5, 1e-6,
                    false)).isTrue();
        }
    }

    @Test
    void identicalExpertsWithoutDroppingEqualTheDenseLayer() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = layer(manager, 3, new GShardRouter(0), DataType.FLOAT32);
            for (var p : layer.experts().weights()) {
                NDArray w = p.getArray();
                w.set(w.get(0).expandDims(0).repeat(0, 3).toFloatArray());
            }
            NDArray x = manager.randomNormal(new Shape(5, 4));
            assertThat(forward(layer, manager, x).allClose(denseExpert0(layer, x), 1e-5, 1e-6,
                    false)).isTrue();
            assertThat(layer.lastRouting().dropped()).isZero();
        }
    }

    @Test
    void droppedTokensComeOutAsZeros() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = layer(manager, 2, new SwitchRouter(0.2), DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(5, 4));
            float[] y = forward(layer, manager, x).toFloatArray();
            var routing = layer.lastRouting();
            assertThat(routing.dropped()).isPositive();
            for (int t = 0; t < 5; t++) {
                if (!routing.kept(t, 0)) {
                    for (int j = 0; j < 4; j++) {
                        assertThat(y[t * 4 + j]).isZero();
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameOutputInTraining() {
        float[][] outputs = new float[2][];
        for (int run = 0; run < 2; run++) {
            Engine.getInstance().setRandomSeed(11);
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeLayer layer = MoeLayer.builder().setNumExperts(3).setModelDim(4).setHiddenDim(6)
                        .setRouter(new moelab.routing.BatchPriorityRouter(1, 1.0, -1))
                        .optAuxLoss(new ImportanceLoss().plus(new LoadLoss()).times(0.005))
                        .build();
                layer.initialize(manager, DataType.FLOAT32, new Shape(8, 4));
                NDArray x = manager.randomNormal(new Shape(8, 4));
                outputs[run] = layer.forward(new ParameterStore(manager, false), new NDList(x),
                        true).head().toFloatArray();
            }
        }
        assertThat(outputs[0]).containsExactly(outputs[1]);
    }
}
