package moelab.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import moelab.files.RunFiles;
import moelab.models.ModelConfig;

/**
 * A training checkpoint: one file holding everything a killed run needs to continue as if it had
 * not stopped.
 *
 * <ol>
 *   <li>a header: the {@link RunDescription} as JSON (model configuration and {@link TrainConfig}:
 *       optimiser, schedule, seed — the data order of epoch {@code e} is a function of seed and
 *       {@code e}, see {@link EpochSampler}) and the {@link State} (steps done, epoch, batches done
 *       in that epoch);
 *   <li>the model parameters, as DJL's {@link Block#saveParameters} writes them;
 *   <li>the {@link AdamW} state: update count and both moments of every parameter;
 *   <li>a trailer ({@link CheckpointTrailer}): a CRC-32 of all of the above and an end mark, so a
 *       truncated or damaged file is recognised as such before anything is loaded.
 * </ol>
 *
 * <p>Writing is atomic and keeps the last good checkpoint: the file is written to a temporary file
 * in the same directory and forced to disk; then the current {@value #FILE} becomes {@value
 * #PREVIOUS} and the new file becomes {@value #FILE}, each by an atomic move. A run killed while
 * saving leaves both older checkpoints intact; {@link #latest} falls back to {@value #PREVIOUS}
 * when {@value #FILE} is missing or damaged.
 */
public final class Checkpoint {

    /** File name of the latest checkpoint inside a run's output directory. */
    public static final String FILE = "checkpoint.ckpt";

    /** File name of the checkpoint before it, kept in case the latest is damaged. */
    public static final String PREVIOUS = "checkpoint.previous.ckpt";

    private static final String MAGIC = "moelab-checkpoint";
    private static final int VERSION = 2;

    private final Path path;
    private final RunDescription run;
    private final State state;

    private Checkpoint(Path path, RunDescription run, State state) {
        this.path = path;
        this.run = run;
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

    /** Writes a checkpoint of a run without a model configuration; see the other overload. */
    public static Path write(Path dir, TrainConfig config, State state, Block model,
                             AdamW optimizer) {
        return write(dir, new RunDescription(config, null), state, model, optimizer);
    }

    /**
     * Writes a checkpoint atomically to {@code dir/}{@value #FILE}, the one there before becoming
     * {@code dir/}{@value #PREVIOUS}.
     *
     * @param dir the run's output directory (created if missing)
     * @param model the model, initialised
     * @param optimizer its optimiser
     * @return the checkpoint's path
     * @throws UncheckedIOException when it cannot be written; the previous checkpoints are then
     *     untouched
     */
    public static Path write(Path dir, RunDescription run, State state, Block model,
                             AdamW optimizer) {
        return RunFiles.writeAtomically(dir.resolve(FILE), dir.resolve(PREVIOUS), stream -> {
            CheckpointTrailer.Writer trailer = new CheckpointTrailer.Writer(stream);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(trailer, 1 << 16));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeHeader(out, run, state);
            model.saveParameters(out);
            optimizer.save(out);
            out.flush();
            trailer.finish();
        });
    }

    /**
     * The checkpoint file meant by a path: the path itself if it is a file, {@code
     * path/}{@value #FILE} if it is a directory.
     */
    public static Path resolve(Path fileOrDir) {
        return Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE) : fileOrDir;
    }

    /** Whether {@code fileOrDir} is or holds a checkpoint (the latest or the one before). */
    public static boolean exists(Path fileOrDir) {
        return Files.isRegularFile(resolve(fileOrDir))
                || Files.isDirectory(fileOrDir) && Files.isRegularFile(fileOrDir.resolve(PREVIOUS));
    }

    /**
     * Reads a checkpoint's header (run description and state) after checking the whole file;
     * parameters are read by {@link #restore}.
     *
     * @param fileOrDir a checkpoint file or a run directory holding {@value #FILE}
     * @throws IllegalArgumentException when there is no checkpoint there, or it is not one, or it
     *     is truncated or damaged (the message says which, and names {@value #PREVIOUS} when there
     *     is one to use instead)
     */
    public static Checkpoint read(Path fileOrDir) {
        Path path = resolve(fileOrDir);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no checkpoint at " + fileOrDir + " (expected a "
                    + FILE + " file or a run directory holding one)");
        }
        try {
            open(path).close();
            CheckpointTrailer.verify(path);
            try (DataInputStream in = open(path)) {
                return readHeader(path, in);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + path + " " + problem(e)
                    + fallbackHint(path), e);
        }
    }

    /**
     * The checkpoint to resume a run from: {@code dir/}{@value #FILE}, or, when that one is
     * missing or damaged, {@code dir/}{@value #PREVIOUS} (saying so on {@code log}).
     *
     * @throws IllegalArgumentException when neither is a good checkpoint
     */
    public static Checkpoint latest(Path dir, java.io.PrintStream log) {
        Path latest = dir.resolve(FILE);
        Path previous = dir.resolve(PREVIOUS);
        if (!Files.isRegularFile(latest) && Files.isRegularFile(previous)) {
            log.println(FILE + " is missing in " + dir + ": resuming from " + PREVIOUS);
            return read(previous);
        }
        try {
            return read(dir);
        } catch (IllegalArgumentException damaged) {
            if (!Files.isRegularFile(previous)) {
                throw damaged;
            }
            Checkpoint before = read(previous);
            log.println(damaged.getMessage().replace(fallbackHint(latest), "")
                    + "; resuming from the one before it, " + previous + " (step "
                    + before.state().step() + ")");
            return before;
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
            readHeader(path, in);
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
                    + model.getClass().getSimpleName() + " (config " + config().model() + "): "
                    + firstLine(e) + "; train it again or evaluate it with the model it was"
                    + " trained with", e);
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The run's training configuration. */
    public TrainConfig config() {
        return run.train();
    }

    /** The run's model configuration, or null when the run was trained without one. */
    public ModelConfig model() {
        return run.model();
    }

    /** The run's description: model and training configuration. */
    public RunDescription run() {
        return run;
    }

    /** Where the run was when this was written. */
    public State state() {
        return state;
    }

    private static DataInputStream open(Path path) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path),
                1 << 16));
        try {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || version != VERSION) {
                throw new IOException("is not a moelab checkpoint of version " + VERSION);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw new IOException("is not a moelab checkpoint of version " + VERSION, e);
        }
    }

    private static void writeHeader(DataOutputStream out, RunDescription run, State state)
            throws IOException {
        byte[] json = run.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        out.writeLong(state.step());
        out.writeInt(state.epoch());
        out.writeInt(state.batchInEpoch());
    }

    private static Checkpoint readHeader(Path path, DataInputStream in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        RunDescription run = RunDescription.fromJson(
                new String(json, java.nio.charset.StandardCharsets.UTF_8));
        State state = new State(in.readLong(), in.readInt(), in.readInt());
        return new Checkpoint(path, run, state);
    }

    /**
     * The first line of what went wrong: this class's own findings ("is truncated ...") as they
     * are, anything else (permission denied, a bad header) as "cannot be read (...)".
     */
    private static String problem(Throwable e) {
        String message = firstLine(e);
        return message.startsWith("is ") ? message : "cannot be read (" + message + ")";
    }

    /** The first line of an exception's message, or its class name when it has none. */
    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }

    private static String fallbackHint(Path path) {
        Path previous = path.resolveSibling(PREVIOUS);
        return path.getFileName().toString().equals(FILE) && Files.isRegularFile(previous)
                ? "; the one before it is kept as " + previous + " (train --resume falls back to"
                + " it; eval --checkpoint takes it)" : "";
    }

    @Override
    public String toString() {
        return "Checkpoint(" + path + ", " + state + ")";
    }
}
