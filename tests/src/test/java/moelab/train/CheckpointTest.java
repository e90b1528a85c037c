package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final TrainConfig CONFIG = TrainConfig.builder().optModel("tiny")
            .optDataset("fashion-mnist").optEpochs(3).optBatchSize(16).optSeed(5).build();

    /** A block whose parameters cannot be saved: it writes a few bytes and then fails. */
    private static final class FailingBlock extends SequentialBlock {
        FailingBlock() {
            add(Linear.builder().setUnits(2).build());
        }

        @Override
        public void saveParameters(DataOutputStream os) throws IOException {
            os.writeUTF("half a checkpoint");
            throw new IOException("disk full");
        }
    }

    @Test
    void writesAtomicallyAndRoundTripsParametersConfigAndState(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = new SequentialBlock().add(Linear.builder().setUnits(3).build());
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, 0.01);
            Path file = Checkpoint.write(dir, CONFIG, new Checkpoint.State(40, 2, 7), model, adam);

            assertThat(file).isEqualTo(dir.resolve(Checkpoint.FILE));
            assertThat(dir.toFile().list()).containsExactly(Checkpoint.FILE); // no temp file left
            Checkpoint read = Checkpoint.read(dir);
            assertThat(read.config()).isEqualTo(CONFIG);
            assertThat(read.state()).isEqualTo(new Checkpoint.State(40, 2, 7));

            Block other = new SequentialBlock().add(Linear.builder().setUnits(3).build());
            other.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            read.restore(other, new AdamW(0.9, 0.999, 1e-8, 0.01), manager);
            for (int i = 0; i < model.getParameters().size(); i++) {
                assertThat(other.getParameters().valueAt(i).getArray().toFloatArray())
                        .containsExactly(model.getParameters().valueAt(i).getArray().toFloatArray());
            }
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block good = new SequentialBlock().add(Linear.builder().setUnits(2).build());
            good.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, 0.01);
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(10, 0, 10), good, adam);
            byte[] before = Files.readAllBytes(dir.resolve(Checkpoint.FILE));

            Block failing = new FailingBlock();
            failing.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            assertThatThrownBy(() -> Checkpoint.write(dir, CONFIG, new Checkpoint.State(20, 1, 0),
                    failing, adam)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(Checkpoint.FILE);

            assertThat(Files.readAllBytes(dir.resolve(Checkpoint.FILE))).isEqualTo(before);
            assertThat(dir.toFile().list()).containsExactly(Checkpoint.FILE);
            assertThat(Checkpoint.read(dir).state().step()).isEqualTo(10);
        }
    }

    @Test
    void clearErrorsForMissingOrForeignFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Checkpoint.read(dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no checkpoint");
        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "not a checkpoint at all");
        assertThatThrownBy(() -> Checkpoint.read(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a moelab checkpoint");
    }

    private static Block linear(NDManager manager) {
        Block model = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        return model;
    }

    @Test
    void keepsTheCheckpointBeforeTheLatest(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = linear(manager);
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, 0.01);
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(10, 0, 10), model, adam);
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(20, 1, 0), model, adam);
            assertThat(dir.toFile().list()).containsExactlyInAnyOrder(Checkpoint.FILE,
                    Checkpoint.PREVIOUS);
            assertThat(Checkpoint.read(dir).state().step()).isEqualTo(20);
            assertThat(Checkpoint.read(dir.resolve(Checkpoint.PREVIOUS)).state().step())
                    .isEqualTo(10);
        }
    }

    @Test
    void aTruncatedCheckpointIsNamedAsSuchAndResumeUsesTheOneBefore(@TempDir Path dir)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = linear(manager);
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, 0.01);
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(10, 0, 10), model, adam);
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(20, 1, 0), model, adam);
            Path latest = dir.resolve(Checkpoint.FILE);
            byte[] bytes = Files.readAllBytes(latest);
            Files.write(latest, java.util.Arrays.copyOf(bytes, bytes.length / 2));

            assertThatThrownBy(() -> Checkpoint.read(dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(latest + " is truncated")
                    .hasMessageContaining(Checkpoint.PREVIOUS)
                    .hasMessageNotContaining("null");
            java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
            Checkpoint resumed = Checkpoint.latest(dir, new java.io.PrintStream(said, true));
            assertThat(resumed.state().step()).isEqualTo(10);
            assertThat(said.toString()).contains("is truncated")
                    .contains("resuming from the one before it");
        }
    }

    @Test
    void aDamagedCheckpointIsNamedAsSuch(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.write(dir, CONFIG, new Checkpoint.State(10, 0, 10), linear(manager),
                    new AdamW(0.9, 0.999, 1e-8, 0.01));
            Path latest = dir.resolve(Checkpoint.FILE);
            byte[] bytes = Files.readAllBytes(latest);
            bytes[bytes.length - 40] ^= 0x5a; // a byte of the optimiser state
            Files.write(latest, bytes);
            assertThatThrownBy(() -> Checkpoint.read(dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(latest + " is damaged");
            assertThatThrownBy(() -> Checkpoint.latest(dir, System.out))
                    .hasMessageContaining("is damaged");
        }
    }
}
