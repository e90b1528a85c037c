package moelab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.LongPredicate;
import moelab.models.ModelConfig;

/**
 * Trains an MoE model (or any DJL block mapping a batch's data to logits): the moelab training loop.
 *
 * <p>Each step, on every device DJL sees ({@link Engine#getDevices()}: all GPUs, else the CPU;
 * with several GPUs the batch is split across them, see {@link TrainStep}):
 *
 * <ol>
 *   <li>forward pass inside a {@link GradientCollector}; the loss is the {@link MoeObjective}:
 *       cross-entropy plus {@code w_aux ·} the aux loss every MoE block reports for this pass;
 *   <li>backward; the routing of every MoE block is added to the epoch's {@link RoutingStats};
 *   <li>gradient clipping by global norm ({@link GlobalNormClipping});
 *   <li>an {@link AdamW} update at the {@link WarmupCosine} learning rate of this step;
 *   <li>a row in {@code metrics.csv}, the progress bar ({@link RunLog}), and every {@code
 *       checkpointEvery} steps a {@link Checkpoint}.
 * </ol>
 *
 * At each epoch end: evaluation on the held-out split ({@link Evaluation}), an epoch row in {@code
 * metrics.csv}, the routing rows in {@code routing.csv}, both PNGs redrawn, and a checkpoint.
 *
 * <p>The run describes itself: {@code run.json} ({@link RunDescription}) and every checkpoint
 * hold the full model configuration (given by {@link Builder#optModelConfig}) and the {@link
 * TrainConfig}, so a run started here, with any model a notebook builds, can be resumed and
 * evaluated from the command line.
 *
 * <p>Why a plain loop and not DJL's {@code Trainer}/{@code EasyTrain}: the aux losses are not a
 * function of (labels, predictions), which is all a DJL {@code Loss} sees — they must be read from
 * the blocks after the forward pass and inside the gradient collector; routing statistics need the
 * same hook; and DJL's optimiser state cannot be saved, so resuming needs our own {@link AdamW}
 * anyway. Written out, every one of these steps is visible in {@link TrainStep}.
 *
 * <p>Determinism: parameters are initialised under the run's seed; the data order of epoch {@code
 * e} is {@link EpochSampler#order}{@code (seed, e)}; before step {@code s} the engine's random
 * generator is re-seeded from {@code (seed, s)}, so gate noise and dropout of a step do not depend
 * on what ran before. Hence a run resumed from a checkpoint continues exactly as the uninterrupted
 * run would have (up to floating-point non-determinism of the backend).
 */
public final class TrainingLoop {

    private final TrainConfig config;
    private final ModelConfig modelConfig;
    final Block model;
    final RandomAccessDataset trainData;
    final Dataset evalData;
    final Path outDir;
    private final boolean resume;
    final LongPredicate stopAfter;
    private final PrintStream out;
    private final ProgressLine.Mode progressMode;
    private final NDManager manager;

    private TrainingLoop(Builder b) {
        manager = b.manager;
        config = b.config;
        modelConfig = b.modelConfig;
        model = b.model;
        trainData = b.trainData;
        evalData = b.evalData;
        outDir = b.outDir;
        resume = b.resume;
        stopAfter = b.stopAfter;
        out = b.out;
        progressMode = b.progressMode;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run did.
     *
     * @param steps optimiser steps done in total (including those before a resume)
     * @param totalSteps steps the full run has
     * @param epochsCompleted epochs fully trained
     * @param stopped true when the run was stopped early by the stop condition (no checkpoint
     *     was written at the stop, like a killed process)
     * @param evaluation the last evaluation, or null
     * @param stepsPerSecond steps of this invocation per second of training time
     * @param outputDir where the files are
     */
    public record Result(long steps, long totalSteps, int epochsCompleted, boolean stopped,
                         Evaluation evaluation, double stepsPerSecond, Path outputDir) {}

    /**
     * Runs (or, with {@code resume}, continues) the training.
     *
     * @throws IllegalStateException when the loss becomes NaN or infinite
     * @throws IllegalArgumentException when the training set has no full batch, or the checkpoint
     *     to resume from is damaged and there is no good one before it
     */
    public Result run() {
        Device[] devices = manager != null ? new Device[] {manager.getDevice()}
                : Engine.getInstance().getDevices();
        Checkpoint from = resume && Checkpoint.exists(outDir) ? Checkpoint.latest(outDir, out) : null;
        RunDescription description = from != null ? from.run()
                : new RunDescription(config, modelConfig);
        if (from != null && !from.config().equals(config)) {
            out.println("resuming with the configuration stored in " + from.path()
                    + " (it differs from the one given)");
        }
        // The model's parameters live in modelManager, which outlives the run (the trained model
        // is used afterwards); everything else lives in the run's manager, freed at the end.
        NDManager modelManager = manager != null ? manager : NDManager.newBaseManager(devices[0]);
        TrainConfig cfg = description.train();
        try (NDManager runManager = modelManager.newSubManager();
             AdamW optimizer = AdamW.of(cfg)) {
            Engine.getInstance().setRandomSeed(seedFor(cfg.seed(), -1));
            initialize(modelManager, cfg.batchSize());
            RunLog log = new RunLog(outDir, out, progressMode);
            Checkpoint.State state = Checkpoint.State.start();
            if (from != null) {
                from.restore(model, optimizer, modelManager);
                state = from.state();
            } else {
                description.write(outDir);
            }
            double secondsBefore = log.open(state, from != null);
            if (from != null) {
                log.say("resumed from " + from.path() + " at step " + state.step() + " (epoch "
                        + (state.epoch() + 1) + ", batch " + state.batchInEpoch() + ")");
            }
            TrainStep step = new TrainStep(model, devices, cfg, new RoutingStats(), optimizer,
                    runManager);
            return new TrainingSession(this, description, state, secondsBefore, step, optimizer,
                    log, runManager).run();
        }
    }

    private void initialize(NDManager manager, int batchSize) {
        if (!model.isInitialized()) {
            Record example;
            try {
                example = trainData.get(manager, 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the first training example", e);
            }
            Shape[] shapes = new Shape[example.getData().size()];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = new Shape(batchSize).addAll(example.getData().get(i).getShape());
            }
            example.getData().close();
            example.getLabels().close();
            model.initialize(manager, DataType.FLOAT32, shapes);
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    /** The engine seed used before step {@code step} (and, with -1, for initialisation). */
    static int seedFor(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7fffffff);
    }

    /**
     * Builder: {@code setConfig}, {@code setModel}, {@code setTrainData} and {@code setOutputDir}
     * are required.
     */
    public static final class Builder {
        private TrainConfig config;
        private Block model;
        private RandomAccessDataset trainData;
        private Dataset evalData;
        private Path outDir;
        private boolean resume;
        private LongPredicate stopAfter = step -> false;
        private PrintStream out = System.out;
        private ProgressLine.Mode progressMode;
        private NDManager manager;
        private ModelConfig modelConfig;

        private Builder() {}

        /**
         * The configuration the model was built from (default none). It is written into {@code
         * run.json} and every checkpoint, so that {@code moelab train --resume} and {@code moelab
         * eval} rebuild this very model, a notebook's variant included; without it the run can be
         * resumed from this API only (or by the CLI when {@link TrainConfig#model()} names a
         * configuration).
         */
        public Builder optModelConfig(ModelConfig modelConfig) {
            this.modelConfig = modelConfig;
            return this;
        }

        /**
         * The manager holding the model's parameters (default: a new one on {@link
         * Engine#defaultDevice()}, left open so the trained model stays usable).
         */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /** The run's configuration (environment caps already applied). */
        public Builder setConfig(TrainConfig config) {
            this.config = config;
            return this;
        }

        /**
         * The model (default: built from {@link #optModelConfig}): maps a batch's data ({@code (B, C, H, W)} images or {@code (B, T)} token ids)
         * to logits ({@code (B, K)} or {@code (B, T, V)}). Initialised here from the first
         * example's shape unless it already is.
         */
        public Builder setModel(Block model) {
            this.model = model;
            return this;
        }

        /** The training split; batches are drawn by {@link EpochSampler}. */
        public Builder setTrainData(RandomAccessDataset trainData) {
            this.trainData = trainData;
            return this;
        }

        /** The split evaluated at each epoch end (default: none). */
        public Builder optEvalData(Dataset evalData) {
            this.evalData = evalData;
            return this;
        }

        /** Where metrics, plots and checkpoints go. */
        public Builder setOutputDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        /** Continue from {@code outDir}'s checkpoint when there is one (default false). */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Stops the run right after a step for which this returns true, without writing a
         * checkpoint — as if the process were killed there (for tests and notebooks).
         */
        public Builder optStopAfter(LongPredicate stopAfter) {
            this.stopAfter = stopAfter;
            return this;
        }

        /** Where the progress bar and epoch lines go (default {@code System.out}). */
        public Builder optOutput(PrintStream out) {
            this.out = out;
            return this;
        }

        /** How the progress bar is drawn (default {@link ProgressLine#detectMode()}). */
        public Builder optProgressMode(ProgressLine.Mode mode) {
            this.progressMode = mode;
            return this;
        }

        /** Builds the loop. */
        public TrainingLoop build() {
            if (model == null && modelConfig != null) {
                model = modelConfig.build();
            }
            if (config == null || model == null || trainData == null || outDir == null) {
                throw new IllegalArgumentException("a training loop needs a config, a model (or a"
                        + " model config), training data and an output directory");
            }
            if (progressMode == null) {
                progressMode = ProgressLine.detectMode();
            }
            return new TrainingLoop(this);
        }
    }
}
