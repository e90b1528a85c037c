package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.dataset.ArrayDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TrainingLoopTest {

    // 64 examples, batch 8: 8 steps an epoch, 2 epochs = 16 steps; a checkpoint every 3 steps.
    private static final TrainConfig CONFIG = TrainConfig.builder().optModel("test-moe")
            .optEpochs(2).optBatchSize(8).optLearningRate(0.01).optWarmupSteps(2)
            .optCheckpointEvery(3).optSeed(11).build();

    private static TrainingLoop.Result train(NDManager data, Block model, Path out, boolean resume,
                                             LongPredicate stop) {
        ArrayDataset trainSet = TinyModels.images(data, 64, 8, 1);
        ArrayDataset testSet = TinyModels.images(data, 24, 8, 2);
        return TrainingLoop.builder().setConfig(CONFIG).setModel(model).setTrainData(trainSet)
                .optEvalData(testSet).setOutputDir(out).optResume(resume).optStopAfter(stop)
                .optOutput(new PrintStream(new ByteArrayOutputStream(), true))
                .optProgressMode(ProgressLine.Mode.OFF).build().run();
    }

    private static List<float[]> parameters(Block model) {
        List<float[]> values = new ArrayList<>();
        model.getParameters().forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
        return values;
    }

    @Test
    void killedRunResumesToTheSameParametersAsAnUninterruptedOne(@TempDir Path tmp)
            throws Exception {
        try (NDManager data = NDManager.newBaseManager()) {
            Block straight = TinyModels.moeClassifier(4, 4);
            TrainingLoop.Result full = train(data, straight, tmp.resolve("a"), false, s -> false);
            assertThat(full.steps()).isEqualTo(16);
            assertThat(full.stopped()).isFalse();

            // Stopped right after step 11: the last checkpoint is from step 9 (every 3 steps),
            // steps 10 and 11 are lost and redone after the resume.
            Path b = tmp.resolve("b");
            TrainingLoop.Result killed = train(data, TinyModels.moeClassifier(4, 4), b, false,
                    s -> s == 11);
            assertThat(killed.stopped()).isTrue();
            assertThat(killed.steps()).isEqualTo(11);
            assertThat(Checkpoint.read(b).state()).isEqualTo(new Checkpoint.State(9, 1, 1));

            Block resumedModel = TinyModels.moeClassifier(4, 4); // fresh process: fresh model
            TrainingLoop.Result resumed = train(data, resumedModel, b, true, s -> false);
            assertThat(resumed.steps()).isEqualTo(16);
            assertThat(resumed.epochsCompleted()).isEqualTo(2);
            assertThat(Checkpoint.read(b).state()).isEqualTo(new Checkpoint.State(16, 2, 0));

            List<float[]> expected = parameters(straight);
            List<float[]> actual = parameters(resumedModel);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).containsExactly(expected.get(i), within(1e-6f));
            }
            // A model that merely trained for 11 steps differs: the comparison has teeth.
            assertThat(resumed.evaluation().loss()).isCloseTo(full.evaluation().loss(),
                    within(1e-5));

            // metrics.csv of the resumed run has every step exactly once, as the straight run's.
            Table metrics = new MetricsLog(b).table();
            Table steps = metrics.where(metrics.stringColumn("kind").isEqualTo("step"));
            assertThat(steps.longColumn("step").asList())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L,
                            15L, 16L);
            // ... and its training clock goes on from the checkpoint instead of restarting at 0
            double[] elapsed = steps.doubleColumn("elapsed_s").asDoubleArray();
            for (int i = 1; i < elapsed.length; i++) {
                assertThat(elapsed[i]).as("elapsed_s at step " + (i + 1))
                        .isGreaterThanOrEqualTo(elapsed[i - 1]);
            }
            assertThat(new RoutingLog(b).table().intColumn("epoch").unique().asList())
                    .containsExactlyInAnyOrder(1, 2);
        }
    }

    @Test
    void resumingAFinishedRunDoesNothing(@TempDir Path tmp) {
        try (NDManager data = NDManager.newBaseManager()) {
            train(data, TinyModels.mlpClassifier(4), tmp, false, s -> false);
            TrainingLoop.Result again = train(data, TinyModels.mlpClassifier(4), tmp, true,
                    s -> false);
            assertThat(again.steps()).isEqualTo(16);
        }
    }

    @Test
    void writesMetricsRoutingAndPlots(@TempDir Path out) throws Exception {
        try (NDManager data = NDManager.newBaseManager()) {
            TrainingLoop.Result r = train(data, TinyModels.moeClassifier(4, 4), out, false,
                    s -> false);
            assertThat(r.evaluation().accuracy()).isBetween(0.0, 1.0);

            Table metrics = new MetricsLog(out).table();
            Table steps = metrics.where(metrics.stringColumn("kind").isEqualTo("step"));
            Table epochs = metrics.where(metrics.stringColumn("kind").isEqualTo("epoch"));
            assertThat(steps.rowCount()).isEqualTo(16);
            assertThat(epochs.rowCount()).isEqualTo(2);
            for (int i = 0; i < steps.rowCount(); i++) {
                // loss = task loss + 1.0 · aux loss, and the aux loss is really there
                assertThat(steps.doubleColumn("loss").get(i)).isCloseTo(
                        steps.doubleColumn("task_loss").get(i) + steps.doubleColumn("aux_loss").get(i),
                        within(1e-4));
                assertThat(steps.doubleColumn("aux_loss").get(i)).isPositive();
                assertThat(steps.doubleColumn("grad_norm").get(i)).isPositive();
            }
            // warm-up: lr(1) = 0.005, lr(2) = 0.01 (peak), then cosine to 0 at step 16
            assertThat(steps.doubleColumn("lr").get(0)).isCloseTo(0.005, within(1e-7));
            assertThat(steps.doubleColumn("lr").get(1)).isCloseTo(0.01, within(1e-7));
            assertThat(steps.doubleColumn("lr").get(15)).isCloseTo(0.0, within(1e-7));
            assertThat(epochs.doubleColumn("eval_accuracy").isMissing().size()).isZero();
            assertThat(epochs.doubleColumn("eval_bpc").isMissing().size()).isEqualTo(2);

            Table routing = new RoutingLog(out).table();
            assertThat(routing.rowCount()).isEqualTo(2 * 4); // 2 epochs × 4 experts, one layer
            for (int epoch = 1; epoch <= 2; epoch++) {
                Table rows = routing.where(routing.intColumn("epoch").isEqualTo(epoch));
                assertThat(rows.doubleColumn("load_fraction").sum()).isCloseTo(1.0, within(1e-4));
                // top-2 of 8 items per step, 8 steps: 128 assignments, kept ≤ capacity 5 each
                assertThat(rows.longColumn("items").sum()).isBetween(1.0, 128.0);
                assertThat(rows.doubleColumn("router_entropy").get(0))
                        .isBetween(0.0, Math.log(4) + 1e-6);
            }

            for (String png : List.of(MetricsLog.PLOT, RoutingLog.PLOT)) {
                byte[] bytes = Files.readAllBytes(out.resolve(png));
                assertThat(bytes.length).isGreaterThan(1000);
                assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
            }
            try (var files = Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder(MetricsLog.FILE, MetricsLog.PLOT, RoutingLog.FILE,
                                RoutingLog.PLOT, Checkpoint.FILE, Checkpoint.PREVIOUS,
                                RunDescription.FILE);
            }
            try (var files = Files.list(out)) { // one mode for every file of the run
                assertThat(files.map(p -> {
                    try {
                        return java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(p));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).distinct()).containsExactly(moelab.files.RunFiles.MODE);
            }
        }
    }

    @Test
    void usesTheEngineDefaultDevice(@TempDir Path out) {
        try (NDManager data = NDManager.newBaseManager()) {
            Block model = TinyModels.mlpClassifier(4);
            train(data, model, out, false, s -> s == 1);
            assertThat(model.getParameters().valueAt(0).getArray().getDevice())
                    .isEqualTo(Engine.getInstance().defaultDevice());
        }
    }
}
