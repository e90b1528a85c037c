package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import moelab.train.Checkpoint;
import moelab.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainEvalCommandTest {

    private static final Path SAMPLE = Path.of("..", "datasets", "samples", "fashion-mnist");

    @Test
    void trainsANamedModelOnTheSampleThenEvaluatesTheCheckpoint(@TempDir Path out) throws Exception {
        int trained = new CommandLine(new TrainCommand()).execute("--config", "mixer-tiny",
                "--dataset", "fashion-mnist", "--data-dir", SAMPLE.toString(), "--batch-size", "4",
                "--max-steps", "3", "--checkpoint-every", "2", "--seed", "1", "--out",
                out.toString());
        assertThat(trained).isZero();
        assertThat(Checkpoint.read(out).state().step()).isEqualTo(3);
        assertThat(Checkpoint.read(out).config().model()).isEqualTo("mixer-tiny");
        assertThat(Files.readAllLines(out.resolve(MetricsLog.FILE))).hasSize(1 + 3 + 1);

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int evaluated;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            evaluated = new CommandLine(new EvalCommand()).execute("--checkpoint", out.toString(),
                    "--data-dir", SAMPLE.toString(), "--split", "test");
        } finally {
            System.setOut(stdout);
        }
        assertThat(evaluated).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("mixer-tiny at step 3 on fashion-mnist test: loss").contains("accuracy");
    }

    @Test
    void trainingALanguageModelSaysWhetherItIsCausal(@TempDir Path out) {
        String batchWide = trainOneStep(out.resolve("base"), "--config", "base-lm-tiny");
        String causal = trainOneStep(out.resolve("causal"), "--config", "base-lm-tiny",
                "--set", "router=base-causal");
        assertThat(batchWide).as("base-lm-tiny balances experts over the whole batch")
                .contains("causal in training: no, in evaluation: yes");
        assertThat(causal).as("base-lm-tiny with router=base-causal")
                .contains("causal in training: yes, in evaluation: yes");
    }

    /** Standard output of one training step on the KJV sample. */
    private static String trainOneStep(Path out, String... model) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            String[] args = Stream.concat(Arrays.stream(model), Stream.of("--dataset", "kjv",
                    "--data-dir", Path.of("..", "datasets", "samples", "kjv").toString(),
                    "--batch-size", "2", "--max-steps", "1", "--out", out.toString()))
                    .toArray(String[]::new);
            assertThat(new CommandLine(new TrainCommand()).execute(args)).isZero();
        } finally {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
