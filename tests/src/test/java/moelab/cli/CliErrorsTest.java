package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import moelab.train.AdamW;
import moelab.train.Checkpoint;
import moelab.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error of the command line is one line on stderr naming the problem and the fix, with exit
 * code 2 and no stack trace (unless {@code --debug}).
 */
class CliErrorsTest {

    private static final String SAMPLE = Path.of("..", "datasets", "samples", "fashion-mnist")
            .toString();

    /** stdout and stderr of one in-process run, and its exit status. */
    private record Outcome(int status, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    /** Asserts the one-line error and returns it. */
    private static String oneLineError(String... args) {
        Outcome o = run(args);
        assertThat(o.status()).as("exit status of %s", Arrays.toString(args)).isEqualTo(2);
        assertThat(o.err().lines()).as("stderr of %s", Arrays.toString(args)).hasSize(1);
        assertThat(o.err()).doesNotContain("at moelab.").doesNotContain("Exception");
        return o.err();
    }

    @Test
    void unknownConfigAndDatasetListTheKnownNames(@TempDir Path out) {
        assertThat(oneLineError("train", "--config", "mixer-huge", "--dataset", "fashion-mnist",
                "--out", out.toString())).startsWith("moelab train: unknown model config 'mixer-huge'")
                .contains("mixer-tiny");
        assertThat(oneLineError("train", "--config", "mixer-tiny", "--dataset", "mnist", "--out",
                out.toString())).contains("unknown dataset 'mnist'").contains("fashion-mnist");
    }

    @Test
    void aMissingDataDirectorySaysWhereItLookedAndHowToFetch(@TempDir Path out) {
        assertThat(oneLineError("train", "--config", "mixer-tiny", "--dataset", "fashion-mnist",
                "--data-dir", out.resolve("nowhere").toString(), "--out", out.toString()))
                .contains("not found").contains("nowhere").contains("To fetch it");
    }

    @Test
    void badNumbersNameTheOptionAndTheRange(@TempDir Path out) {
        assertThat(oneLineError("train", "--config", "mixer-tiny", "--dataset", "fashion-mnist",
                "--epochs", "-1", "--out", out.toString())).contains("epochs=-1 must be at least 1");
        assertThat(oneLineError("train", "--config", "mixer-tiny", "--dataset", "fashion-mnist",
                "--lr", "fast", "--out", out.toString())).contains("'--lr'").contains("'fast'")
                .contains("moelab train --help");
        assertThat(oneLineError("train", "--out", out.toString(), "--no-such-option"))
                .contains("--no-such-option");
        assertThat(oneLineError()).contains("missing subcommand");
    }

    @Test
    void anUnknownSetKeyListsTheValidOnes(@TempDir Path out) {
        assertThat(oneLineError("train", "--config", "sparse-mlp-tiny", "--set", "moe.expert=8",
                "--dataset", "fashion-mnist", "--out", out.toString()))
                .contains("moe.expert").contains("moe.experts");
        assertThat(oneLineError("train", "--set", "moe.experts=8", "--dataset", "fashion-mnist",
                "--out", out.toString())).contains("--set needs --config");
    }

    @Test
    void aMissingOrTruncatedCheckpointIsNamedAsSuch(@TempDir Path dir) throws Exception {
        assertThat(oneLineError("eval", "--checkpoint", dir.toString()))
                .contains("no checkpoint at " + dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = new SequentialBlock().add(Linear.builder().setUnits(2).build());
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            Checkpoint.write(dir, TrainConfig.builder().build(), Checkpoint.State.start(), model,
                    new AdamW(0.9, 0.999, 1e-8, 0.01));
        }
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertThat(oneLineError("eval", "--checkpoint", dir.toString()))
                .contains(file + " is truncated").doesNotContain("null");
    }

    @Test
    void debugAddsTheStackTrace(@TempDir Path out) {
        Outcome o = run("train", "--debug", "--config", "mixer-huge", "--dataset",
                "fashion-mnist", "--out", out.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("unknown model config").contains("at moelab.");
    }

    @Test
    void helpHasNoFormattingWarnings() {
        Outcome o = run("train", "--help");
        assertThat(o.status()).isZero();
        assertThat(o.out()).contains("5% of the run").contains("--resume");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void aNormalRunPrintsNoWarningsOrEngineLogLines(@TempDir Path out) throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--config", "mixer-tiny", "--dataset", "fashion-mnist", "--data-dir",
                SAMPLE, "--batch-size", "4", "--max-steps", "1", "--out", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).doesNotContain("WARN").doesNotContain("INFO")
                .doesNotContain("Could not format").contains("1/1 steps");
    }
}
