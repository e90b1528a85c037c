package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moelab.train.Checkpoint;
import moelab.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A training process killed with SIGKILL mid-run resumes from its last checkpoint: it loses at
 * most the steps since that checkpoint and ends with every step logged exactly once.
 */
class KillAndResumeTest {

    private static final Path SAMPLE = Path.of("..", "datasets", "samples", "fashion-mnist");
    private static final int CHECKPOINT_EVERY = 2;
    private static final int TOTAL_STEPS = 16;

    @Test
    void aKilledRunResumesFromItsLastCheckpoint(@TempDir Path out) throws Exception {
        Process training = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--config", "mixer-tiny", "--dataset", "fashion-mnist", "--data-dir",
                SAMPLE.toString(), "--batch-size", "1", "--epochs", "1", "--max-steps",
                String.valueOf(TOTAL_STEPS), "--checkpoint-every", String.valueOf(CHECKPOINT_EVERY),
                "--seed", "3", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile())
                .start();
        Path checkpoint = out.resolve(Checkpoint.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(checkpoint) && Checkpoint.read(out).state().step() >= 2 * CHECKPOINT_EVERY)) {
            assertThat(training.isAlive()).as("training ended before it could be killed").isTrue();
            assertThat(System.nanoTime()).as("no checkpoint within 120 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        training.destroyForcibly().waitFor();

        long saved = Checkpoint.read(out).state().step();
        long logged = stepRows(out).size();
        assertThat(saved).isLessThan(TOTAL_STEPS);
        assertThat(logged).as("steps done before the kill").isGreaterThanOrEqualTo(saved);

        int resumed = new CommandLine(new TrainCommand()).execute("--out", out.toString(), "--resume",
                "--data-dir", SAMPLE.toString());
        assertThat(resumed).isZero();
        assertThat(Checkpoint.read(out).state().step()).isEqualTo(TOTAL_STEPS);
        List<Long> steps = stepRows(out);
        assertThat(steps).hasSize(TOTAL_STEPS);
        for (int i = 0; i < TOTAL_STEPS; i++) {
            assertThat(steps.get(i)).isEqualTo(i + 1L);
        }
    }

    private static List<Long> stepRows(Path run) throws Exception {
        return Files.readAllLines(run.resolve(MetricsLog.FILE)).stream()
                .filter(line -> line.startsWith("step,"))
                .map(line -> Long.parseLong(line.split(",")[2]))
                .toList();
    }
}
