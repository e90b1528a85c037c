package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
