package moelab.nd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import moelab.moe.ImportanceLoss;
import moelab.moe.LoadLoss;
import moelab.moe.MoeLayer;
import moelab.routing.BatchPriorityRouter;
import org.junit.jupiter.api.Test;

/**
 * Gradients through multiplications by Java numbers survive a garbage collection between the
 * forward and the backward pass.
 */
class ScalarsTest {

    /** Gives the collector every chance to free buffers that are no longer referenced from Java. */
    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            byte[][] churn = new byte[64][];
            for (int j = 0; j < churn.length; j++) {
                churn[j] = new byte[1 << 16];
            }
            System.gc();
        }
    }

    @Test
    void timesAndDividedByKeepTheirGradientAcrossGarbageCollection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Scalars.dividedBy(Scalars.times(x, 3), 4);
                collectGarbage();
                gc.backward(y.sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(0.75f, 0.75f, 0.75f);
        }
    }

    @Test
    void constantTakesTheTypeOfItsArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(2), DataType.FLOAT64);
            assertThat(Scalars.times(x, 0.5).getDataType()).isEqualTo(DataType.FLOAT64);
        }
    }

    @Test
    void noisyGateAuxLossGradientIsTheSameWithAGarbageCollectionBeforeBackward() {
        float[][] gradients = new float[2][];
        for (int run = 0; run < 2; run++) {
            Engine.getInstance().setRandomSeed(9);
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeLayer layer = MoeLayer.builder().setNumExperts(4).setModelDim(8).setHiddenDim(8)
                        .setRouter(new BatchPriorityRouter(1, 1.25, -1))
                        .optAuxLoss(new ImportanceLoss().plus(new LoadLoss()).times(0.005)).build();
                layer.initialize(manager, DataType.FLOAT32, new Shape(64, 8));
                layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
                NDArray x = manager.randomNormal(new Shape(64, 8)).mul(3);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    layer.forward(new ParameterStore(manager, false), new NDList(x), true);
                    if (run == 1) {
                        collectGarbage();
                    }
                    gc.backward(layer.lastAuxLoss());
                }
                gradients[run] = layer.gate().getArray().getGradient().toFloatArray();
            }
        }
        assertThat(gradients[1]).containsExactly(gradients[0]);
        assertThat(gradients[0]).doesNotContain(Float.NaN);
    }
}
