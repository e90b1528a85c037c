package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import moelab.moe.AuxLoss;
import moelab.moe.AuxLosses;
import moelab.moe.MoeLayer;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class MoeObjectiveTest {

    @Test
    void crossEntropyOfUniformLogitsIsLnK() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeObjective objective = new MoeObjective(TinyModels.mlpClassifier(4), 1);
            NDArray classifier = objective.taskLoss(manager.zeros(new Shape(3, 4)),
                    manager.create(new int[] {0, 1, 3}));
            assertThat(classifier.getFloat()).isCloseTo((float) Math.log(4), within(1e-6f));
            NDArray lm = objective.taskLoss(manager.zeros(new Shape(2, 5, 8)),
                    manager.zeros(new Shape(2, 5), DataType.INT32));
            assertThat(lm.getFloat()).isCloseTo((float) Math.log(8), within(1e-6f));
            // a confident right answer: logits (0, 10) for label 1 → ln(1 + e^-10)
            NDArray sure = objective.taskLoss(manager.create(new float[] {0, 10}, new Shape(1, 2)),
                    manager.create(new int[] {1}));
            assertThat(sure.getFloat()).isCloseTo((float) Math.log1p(Math.exp(-10)), within(1e-7f));
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeObjective objective = new MoeObjective(TinyModels.mlpClassifier(4), 1);
            assertThatThrownBy(() -> objective.taskLoss(manager.zeros(new Shape(3, 4)),
                    manager.zeros(new Shape(2), DataType.INT32)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 4)");
        }
    }

    @Test
    void auxLossIsAddedWithItsWeightAndReachesTheGate() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = TinyModels.moeClassifier(4, 4);
            model.initialize(manager, DataType.FLOAT32, new Shape(8, 1, 4, 4));
            model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            MoeLayer moe = (MoeLayer) moelab.moe.MoeBlock.findAll(model).values().iterator().next();
            NDArray x = manager.randomNormal(new Shape(8, 1, 4, 4));
            NDArray y = manager.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3});

            float[] withAux = lossAndGateGradient(manager, model, moe, x, y, 1.0);
            float[] withoutAux = lossAndGateGradient(manager, model, moe, x, y, 0.0);
            float[] doubleAux = lossAndGateGradient(manager, model, moe, x, y, 2.0);
            float aux = withAux[2];
            assertThat(aux).isPositive();
            assertThat(withAux[1]).isEqualTo(withoutAux[1]); // same task loss: no noise in eval
            assertThat(withAux[0] - withoutAux[0]).isCloseTo(aux, within(1e-6f));
            assertThat(doubleAux[0] - withoutAux[0]).isCloseTo(2 * aux, within(1e-6f));
            assertThat(withAux[3]).isNotCloseTo(withoutAux[3], within(1e-9f)); // gate gradient
        }
    }

    @Test
    void aLayerCalledTwiceInAPassCountsTwiceAndAnIdleOneNotAtAll() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // aux loss = number of items routed, so each call of the shared layer adds B = 8
            AuxLoss itemCount = routing -> manager.create((float) routing.numItems());
            MoeLayer shared = MoeLayer.builder().setNumExperts(2).setModelDim(8).setHiddenDim(8)
                    .setRouter(new SwitchRouter(0)).optAuxLoss(itemCount).build();
            Block model = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(8).build()).add(shared).add(shared)
                    .add(Linear.builder().setUnits(4).build());
            model.initialize(manager, DataType.FLOAT32, new Shape(8, 1, 4, 4));
            MoeObjective objective = new MoeObjective(model, 0.5);
            NDArray x = manager.randomNormal(new Shape(8, 1, 4, 4));
            NDArray y = manager.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3});
            ParameterStore store = new ParameterStore(manager, false);
            try (AuxLosses auxLosses = AuxLosses.open()) {
                NDArray logits = model.forward(store, new NDList(x), true).head();
                MoeObjective.Parts parts = objective.compute(logits, y, auxLosses);
                assertThat(parts.aux().getFloat()).as("two calls of 8 items").isEqualTo(16f);
                assertThat(parts.total().getFloat())
                        .isCloseTo(parts.task().getFloat() + 0.5f * 16, within(1e-5f));
            }
            try (AuxLosses auxLosses = AuxLosses.open()) {
                NDArray logits = manager.zeros(new Shape(8, 4)); // no forward pass this time
                MoeObjective.Parts parts = objective.compute(logits, y, auxLosses);
                assertThat(parts.aux().getFloat()).as("no MoE call, no aux loss").isZero();
                assertThat(shared.lastAuxLoss().getFloat()).as("stale, left out").isEqualTo(8f);
            }
        }
    }

    /** total, task, aux and the gate gradient's sum of squares after one backward pass. */
    private static float[] lossAndGateGradient(NDManager manager, Block model, MoeLayer moe,
                                               NDArray x, NDArray y, double weight) {
        MoeObjective objective = new MoeObjective(model, weight);
        model.getParameters().forEach(p -> {
            NDArray a = p.getValue().getArray();
            a.getGradient().subi(a.getGradient());
        });
        MoeObjective.Parts parts;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector();
             AuxLosses auxLosses = AuxLosses.open()) {
            // training=false: no gate noise, so every call routes identically
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head();
            parts = objective.compute(logits, y, auxLosses);
            gc.backward(parts.total());
        }
        float gate = moe.gate().getArray().getGradient().square().sum().getFloat();
        return new float[] {parts.total().getFloat(), parts.task().getFloat(),
            parts.aux().getFloat(), gate};
    }
}
