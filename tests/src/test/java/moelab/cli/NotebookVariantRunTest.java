package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import moelab.models.ModelConfig;
import moelab.models.RouterKind;
import moelab.models.SparseMlpConfig;
import moelab.train.Checkpoint;
import moelab.train.NamedRun;
import moelab.train.ProgressLine;
import moelab.train.RunDescription;
import moelab.train.TrainConfig;
import moelab.train.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model built in a notebook (a variant of a named config, here Sparse-MLP with 8 experts and the Switch router) trains
 * through the {@link TrainingLoop} API, then resumes and evaluates from the command line: the run
 * directory describes the model, no name has to resolve to it.
 */
class NotebookVariantRunTest {

    private static final Path SAMPLE = Path.of("..", "datasets", "samples", "fashion-mnist");

    @Test
    void aVariantTrainedFromTheApiResumesAndEvaluatesFromTheCli(@TempDir Path out) {
        SparseMlpConfig named = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        ModelConfig variant = named.withName("sparse-mlp-tiny-e8").withTokenExperts(8)
                .withMoe(named.moe().withExperts(8).withRouter(RouterKind.SWITCH));
        TrainConfig config = TrainConfig.builder().optModel(variant.name())
                .optDataset("fashion-mnist").optBatchSize(4).optMaxSteps(4)
                .optCheckpointEvery(2).optSeed(7).build();
        NamedRun run = NamedRun.load(new RunDescription(config, variant), SAMPLE);
        TrainingLoop.Result stopped = TrainingLoop.builder().setConfig(config)
                .optModelConfig(variant).setTrainData(run.data().train()).setOutputDir(out)
                .optStopAfter(step -> step == 3).optProgressMode(ProgressLine.Mode.OFF)
                .optOutput(new PrintStream(new ByteArrayOutputStream(), true)).build().run();
        assertThat(stopped.stopped()).isTrue();
        assertThat(Checkpoint.read(out).state().step()).isEqualTo(2);
        assertThat(RunDescription.read(out).model()).isEqualTo(variant);

        String resumed = cli("train", "--out", out.toString(), "--resume", "--data-dir",
                SAMPLE.toString());
        assertThat(resumed).contains("model sparse-mlp-tiny-e8").contains("resumed from");
        assertThat(Checkpoint.read(out).state().step()).isEqualTo(4);
        assertThat(Checkpoint.read(out).model()).isEqualTo(variant);

        assertThat(cli("eval", "--checkpoint", out.toString(), "--data-dir", SAMPLE.toString()))
                .contains("sparse-mlp-tiny-e8 at step 4 on fashion-mnist test: loss");
    }

    @Test
    void setChangesAnyModelFieldAndTheRunRemembersIt(@TempDir Path out) {
        cli("train", "--config", "sparse-mlp-tiny", "--set", "moe.experts=2", "--set",
                "router=switch", "--dataset", "fashion-mnist", "--data-dir", SAMPLE.toString(),
                "--batch-size", "4", "--max-steps", "1", "--out", out.toString());
        ModelConfig stored = RunDescription.read(out).model();
        assertThat(stored.moe().experts()).isEqualTo(2);
        assertThat(stored.moe().router()).isEqualTo(RouterKind.SWITCH);
        assertThat(Checkpoint.read(out).model()).isEqualTo(stored);
    }

    /** Runs a command line in this process; its standard output. */
    private static String cli(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int status;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        } finally {
            System.setOut(stdout);
        }
        assertThat(status).as("status of %s, stderr %s", String.join(" ", args), err).isZero();
        return captured.toString(StandardCharsets.UTF_8);
    }
}
