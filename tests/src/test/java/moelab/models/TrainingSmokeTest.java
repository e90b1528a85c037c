package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import moelab.moe.AuxLosses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A few Adam steps on one fixed batch lower the loss (task loss + every MoE layer's aux loss). */
class TrainingSmokeTest {

    private static final int STEPS = 8;

    @ParameterizedTest
    @ValueSource(strings = {"mixer-tiny", "sparse-mlp-tiny", "transformer-lm-tiny", "gmlp-lm-tiny",
            "smlp-lm-tiny", "switch-lm-tiny", "gshard-lm-tiny", "base-lm-tiny", "hash-lm-tiny"})
    void adamStepsLowerTheLoss(String name) {
        Engine.getInstance().setRandomSeed(17);
        ModelConfig config = ModelConfig.byName(name);
        boolean lm = config.isLanguageModel();
        try (Model model = Model.newInstance(name)) {
            model.setBlock(config.build());
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam))) {
                NDManager manager = trainer.getManager();
                int batch = 4;
                int length = 16;
                trainer.initialize(lm ? new Shape(batch, length) : config.inputShape(batch));
                NDArray input;
                NDArray labels;
                if (lm) {
                    NDArray sequence = ModelTesting.tokens(manager, config.outputSize(), batch, length + 1);
                    input = sequence.get(":, :" + length); // (B, T)
                    labels = sequence.get(":, 1:"); // (B, T): the next token
                } else {
                    input = manager.randomUniform(0f, 1f, config.inputShape(batch));
                    labels = manager.randomInteger(0, config.outputSize(), new Shape(batch),
                            DataType.INT64);
                }
                float first = 0;
                float last = 0;
                for (int step = 0; step < STEPS; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector();
                         AuxLosses auxLosses = AuxLosses.open()) {
                        NDArray logits = trainer.forward(new NDList(input)).head(); // (B, [T,] classes)
                        NDArray loss = crossEntropy(logits, labels, config.outputSize());
                        loss = loss.add(auxLosses.sum(loss));
                        collector.backward(loss);
                        if (step == 0) {
                            first = loss.getFloat();
                        }
                        last = loss.getFloat();
                    }
                    trainer.step();
                }
                assertThat(last).as(name + " loss after " + STEPS + " steps").isLessThan(first);
            }
        }
    }

    /** Mean of {@code -log softmax(logits)[label]} over every position. */
    private static NDArray crossEntropy(NDArray logits, NDArray labels, int classes) {
        int axis = logits.getShape().dimension() - 1;
        NDArray logProbs = logits.logSoftmax(axis);
        return logProbs.mul(labels.oneHot(classes)).sum(new int[] {axis}).neg().mean();
    }
}
