package moelab.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A training checkpoint: one file holding everything a killed run needs to continue as if it had
 * not stopped.
 *
 * <ol>
 *   <li>a header: the {@link TrainConfig} (model and dataset names, optimiser, schedule, seed —
 *       the data order of epoch {@code e} is a function of seed and {@code e}, see {@link
 *       EpochSampler}) and the {@link State} (steps done, epoch, batches done in that epoch);
 *   <li>the model parameters, as DJL's {@link Block#saveParameters} writes them;
 *   <li>the {@link AdamW} state: update count and both moments of every parameter.
 * </ol>
 *
 * <p>Writing is atomic: the file is written to a temporary file in the same directory, forced to
 * disk, then moved over {@value #FILE} with {@code ATOMIC_MOVE}, so a run killed while saving
 * leaves the previous checkpoint intact, never a torn one.
 */
public final class Checkpoint {

    /** File name of the latest checkpoint inside a run's output directory. */
    public static final String FILE = "checkpoint.ckpt";

    private static final String MAGIC = "moelab-checkpoint";
    private static final int VERSION = 1;

    private final Path path;
    private final TrainConfig config;
    private final State state;

    private Checkpoint(Path path, TrainConfig config, State state) {
        this.path = path;
        this.config = config;
        this.state = state;
    }

    /**
     * Where a run is.
     *
     * @param step optimiser steps done
     * @param epoch 0-based epoch in progress (equal to the number of finished epochs)
     * @param batchInEpoch batches of that epoch already trained on
     */
    public record State(long step, int epoch, int batchInEpoch) {
        /** The state of a run that has not started. */
        public static State start() {
            return new State(0, 0, 0);
        }
    }

    /**
     * Writes a checkpoint atomically to {@code dir/}{@value #FILE}.
     *
     * @param dir the run's output directory (created if missing)
     * @param model the model, initialised
     * @param optimizer its optimiser
     * @return the checkpoint's path
     * @throws UncheckedIOException when it cannot be written; the previous checkpoint is then
     *     untouched
     */
    public static Path write(Path dir, TrainConfig config, State state, Block model,
                             AdamW optimizer) {
        Path target = dir.resolve(FILE);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, FILE + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 DataOutputStream out = new DataOutputStream(
                         new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16))) {
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(header(config, state));
                model.saveParameters(out);
                optimizer.save(out);
                out.flush();
                channel.force(true); // on disk before the move makes it the checkpoint
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left behind; the previous checkpoint is intact
                }
            }
        }
    }

    /**
     * The checkpoint file meant by a path: the path itself if it is a file, {@code
     * path/}{@value #FILE} if it is a directory.
     */
    public static Path resolve(Path fileOrDir) {
        return Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE) : fileOrDir;
    }

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path fileOrDir) {
        return Files.isRegularFile(resolve(fileOrDir));
    }

    /**
     * Reads a checkpoint's header (configuration and state); parameters are read by {@link
     * #restore}.
     *
     * @param fileOrDir a checkpoint file or a run directory holding {@value #FILE}
     * @throws IllegalArgumentException when there is no checkpoint there or it is not one
     */
    public static Checkpoint read(Path fileOrDir) {
        Path path = resolve(fileOrDir);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no checkpoint at " + fileOrDir + " (expected a "
                    + FILE + " file or a run directory holding one)");
        }
        try (DataInputStream in = open(path)) {
            Properties p = new Properties();
            p.load(new StringReader(in.readUTF()));
            TrainConfig config = TrainConfig.fromProperties(p);
            State state = new State(Long.parseLong(p.getProperty("state.step")),
                    Integer.parseInt(p.getProperty("state.epoch")),
                    Integer.parseInt(p.getProperty("state.batchInEpoch")));
            return new Checkpoint(path, config, state);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + path + ": " + e, e);
        }
    }

    /**
     * Loads the saved parameters into {@code model} (built from the same configuration and
     * initialised) and, when {@code optimizer} is not null, the optimiser state.
     *
     * @param manager where restored arrays live (its device is used)
     * @throws IllegalStateException when the checkpoint does not fit the model
     */
    public void restore(Block model, AdamW optimizer, NDManager manager) {
        try (DataInputStream in = open(path)) {
            in.readUTF();
            model.loadParameters(manager, in);
            model.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            });
            if (optimizer != null) {
                optimizer.load(in, manager);
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalStateException("checkpoint " + path + " does not fit the model "
                    + model.getClass().getSimpleName() + " (config " + config.model() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The run's configuration. */
    public TrainConfig config() {
        return config;
    }

    /** Where the run was when this was written. */
    public State state() {
        return state;
    }

    private static DataInputStream open(Path path) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path),
                1 << 16));
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            in.close();
            throw new IOException(path + " is not a moelab checkpoint", e);
        }
        int version = in.readInt();
        if (!MAGIC.equals(magic) || version != VERSION) {
            in.close();
            throw new IOException(path + " is not a moelab checkpoint of version " + VERSION);
        }
        return in;
    }

    private static String header(TrainConfig config, State state) throws IOException {
        Properties p = config.toProperties();
        p.setProperty("state.step", Long.toString(state.step()));
        p.setProperty("state.epoch", Integer.toString(state.epoch()));
        p.setProperty("state.batchInEpoch", Integer.toString(state.batchInEpoch()));
        StringWriter w = new StringWriter();
        p.store(w, null);
        return w.toString();
    }

    @Override
    public String toString() {
        return "Checkpoint(" + path + ", " + state + ")";
    }
}
