package moelab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
import java.util.Locale;
import java.util.function.LongPredicate;
import moelab.moe.AuxLosses;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Trains an MoE model (or any DJL block mapping a batch's data to logits): the moelab training loop.
 *
 * <p>Each step, on {@link Engine#defaultDevice()} (a GPU when DJL sees one, else the CPU):
 *
 * <ol>
 *   <li>forward pass inside a {@link GradientCollector}; the loss is the {@link MoeObjective}:
 *       cross-entropy plus {@code w_aux ·} the aux losses of the MoE calls of this pass (its
 *       {@link AuxLosses} record);
 *   <li>backward; the routing of every MoE call in the record is added to the epoch's
 *       {@link RoutingStats};
 *   <li>gradient clipping by global norm ({@link GlobalNormClipping});
 *   <li>an {@link AdamW} update at the {@link WarmupCosine} learning rate of this step;
 *   <li>a row in {@code metrics.csv}, the progress bar, and every {@code checkpointEvery} steps a
 *       {@link Checkpoint}.
 * </ol>
 *
 * At each epoch end: evaluation on the held-out split ({@link Evaluation}), an epoch row in {@code
 * metrics.csv}, the routing rows in {@code routing.csv}, both PNGs redrawn, and a checkpoint.
 *
 * <p>Why a plain loop and not DJL's {@code Trainer}/{@code EasyTrain}: the aux losses are not a
 * function of (labels, predictions), which is all a DJL {@code Loss} sees — they must be read from
 * the blocks after the forward pass and inside the gradient collector; routing statistics need the
 * same hook; and DJL's optimiser state cannot be saved, so resuming needs our own {@link AdamW}
 * anyway. Written out, every one of these steps is visible in ~40 lines (see {@link #trainStep}).
 *
 * <p>Determinism: parameters are initialised under the run's seed; the data order of epoch {@code
 * e} is {@link EpochSampler#order}{@code (seed, e)}; before step {@code s} the engine's random
 * generator is re-seeded from {@code (seed, s)}, so gate noise and dropout of a step do not depend
 * on what ran before. Hence a run resumed from a checkpoint continues exactly as the uninterrupted
 * run would have (up to floating-point non-determinism of the backend).
 */
public final class TrainingLoop {

    private final TrainConfig config;
    private final Block model;
    private final RandomAccessDataset trainData;
    private final Dataset evalData;
    private final Path outDir;
    private final boolean resume;
    private final LongPredicate stopAfter;
    private final PrintStream out;
    private final ProgressLine.Mode progressMode;
    private final NDManager manager;

    private TrainingLoop(Builder b) {
        manager = b.manager;
        config = b.config;
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
     * @throws IllegalArgumentException when the training set has no full batch
     */
    public Result run() {
        Device device = manager != null ? manager.getDevice() : Engine.getInstance().defaultDevice();
        TrainConfig cfg = config;
        Checkpoint from = null;
        if (resume && Checkpoint.exists(outDir)) {
            from = Checkpoint.read(outDir);
            if (!from.config().equals(config)) {
                out.println("resuming with the configuration stored in " + from.path()
                        + " (it differs from the one given)");
            }
            cfg = from.config();
        }
        int stepsPerEpoch = EpochSampler.batchesPerEpoch(trainData.size(), cfg.batchSize());
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("the training set has " + trainData.size()
                    + " examples, not one full batch of " + cfg.batchSize());
        }
        long totalSteps = cfg.totalSteps(stepsPerEpoch);
        WarmupCosine schedule = new WarmupCosine(cfg.learningRate(), cfg.finalLearningRate(),
                cfg.warmupSteps(totalSteps), totalSteps);
        MetricsLog metrics = new MetricsLog(outDir);
        RoutingLog routingLog = new RoutingLog(outDir);

        // The model's parameters live in modelManager, which outlives the run (the trained model
        // is used afterwards); everything else lives in the run's manager, freed at the end.
        NDManager modelManager = this.manager != null ? this.manager
                : NDManager.newBaseManager(device);
        try (NDManager manager = modelManager.newSubManager();
             AdamW optimizer = AdamW.of(cfg)) {
            Engine.getInstance().setRandomSeed(seedFor(cfg.seed(), -1));
            initialize(modelManager, cfg.batchSize());
            Checkpoint.State state = Checkpoint.State.start();
            double secondsBefore = 0; // training seconds of the steps done before a resume
            if (from != null) {
                from.restore(model, optimizer, modelManager);
                state = from.state();
                secondsBefore = metrics.resumeAt(state.step());
                routingLog.resumeAt(state.epoch() + 1);
                out.println("resumed from " + from.path() + " at step " + state.step() + " (epoch "
                        + (state.epoch() + 1) + ", batch " + state.batchInEpoch() + ")");
            } else {
                metrics.start();
                routingLog.start();
            }

            MoeObjective objective = new MoeObjective(model, cfg.auxLossWeight());
            GlobalNormClipping clipping = cfg.clipNorm() > 0 ? new GlobalNormClipping(cfg.clipNorm())
                    : null;
            RoutingStats routingStats = new RoutingStats();
            ParameterStore store = new ParameterStore(manager, false);
            ProgressLine progress = new ProgressLine(out, progressMode, System::nanoTime);
            progress.start("train", state.step(), totalSteps);

            long step = state.step();
            long firstStep = step;
            long startNanos = System.nanoTime();
            Evaluation evaluation = null;
            int epochsCompleted = state.epoch();
            for (int epoch = state.epoch(); epoch < cfg.epochs() && step < totalSteps; epoch++) {
                int batchIndex = epoch == state.epoch() ? state.batchInEpoch() : 0;
                routingStats.reset();
                double lr = Double.NaN;
                try (NDManager epochManager = manager.newSubManager()) {
                    if (epoch == state.epoch() && epoch > 0) {
                        // moelab.data's datasets start a new epoch of augmentation draws (window
                        // offsets for text) with every getData call: replay the calls of the
                        // epochs already done, so this one draws as the uninterrupted run did.
                        for (int e = 0; e < epoch; e++) {
                            trainData.getData(epochManager,
                                    new EpochSampler(cfg.seed(), e, cfg.batchSize(), 0));
                        }
                    }
                    Iterable<Batch> batches = trainData.getData(epochManager,
                            new EpochSampler(cfg.seed(), epoch, cfg.batchSize(), batchIndex));
                    for (Batch batch : batches) {
                        if (step >= totalSteps) {
                            batch.close();
                            break;
                        }
                        Engine.getInstance().setRandomSeed(seedFor(cfg.seed(), step));
                        lr = schedule.getNewValue((int) (step + 1));
                        StepResult r;
                        try (batch) {
                            r = trainStep(batch, device, store, objective, routingStats, clipping,
                                    optimizer, lr);
                        }
                        step++;
                        batchIndex++;
                        if (!Double.isFinite(r.loss)) {
                            progress.finish();
                            throw new IllegalStateException("training diverged: loss " + r.loss
                                    + " at step " + step + " (lr " + lr + "); try a lower --lr");
                        }
                        double seconds = (System.nanoTime() - startNanos) / 1e9;
                        metrics.step(epoch + 1, step, lr, r.loss, r.taskLoss, r.auxLoss, r.gradNorm,
                                r.accuracy, (step - firstStep) * cfg.batchSize() / seconds,
                                secondsBefore + seconds);
                        progress.update(step, String.format(Locale.ROOT, "epoch %d/%d  loss %.4f%s",
                                epoch + 1, cfg.epochs(), r.loss, Double.isNaN(r.accuracy) ? ""
                                        : String.format(Locale.ROOT, "  acc %.3f", r.accuracy)));
                        if (stopAfter.test(step)) {
                            progress.finish();
                            out.println("stopped after step " + step
                                    + " (no checkpoint written at the stop)");
                            return new Result(step, totalSteps, epochsCompleted, true, null,
                                    rate(step - firstStep, startNanos), outDir);
                        }
                        boolean epochEnd = batchIndex >= stepsPerEpoch || step >= totalSteps;
                        if (!epochEnd && cfg.checkpointEvery() > 0
                                && step % cfg.checkpointEvery() == 0) {
                            Checkpoint.write(outDir, cfg, new Checkpoint.State(step, epoch,
                                    batchIndex), model, optimizer);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the training data", e);
                } catch (TranslateException e) {
                    throw new IllegalStateException("cannot batch the training data: "
                            + e.getMessage(), e);
                }
                progress.finish();
                boolean finished = batchIndex >= stepsPerEpoch;
                if (evalData != null) {
                    evaluation = Evaluation.run(model, evalData, cfg.batchSize(), manager);
                }
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                double[] train = epochMeans(metrics.table(), epoch + 1);
                metrics.epoch(epoch + 1, step, lr, train[0], train[1], evaluation,
                        (step - firstStep) * cfg.batchSize() / seconds, secondsBefore + seconds);
                routingLog.epoch(epoch + 1, step, routingStats.summarize());
                plotCharts(metrics, routingLog);
                Checkpoint.State next = finished ? new Checkpoint.State(step, epoch + 1, 0)
                        : new Checkpoint.State(step, epoch, batchIndex);
                Checkpoint.write(outDir, cfg, next, model, optimizer);
                if (finished) {
                    epochsCompleted = epoch + 1;
                }
                out.println(String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  train loss %.4f%s%s",
                        epoch + 1, cfg.epochs(), step, totalSteps, train[0],
                        Double.isNaN(train[1]) ? ""
                                : String.format(Locale.ROOT, " acc %.4f", train[1]),
                        evaluation == null ? "" : "  |  eval " + evaluation));
                if (step < totalSteps) {
                    progress.start("train", step, totalSteps);
                }
            }
            return new Result(step, totalSteps, epochsCompleted, false, evaluation,
                    rate(step - firstStep, startNanos), outDir);
        }
    }

    /** One optimiser step on one batch; see the class comment. */
    private boolean chartsFailed;

    /**
     * Draws curves.png and routing.png; a machine that cannot draw (a Java runtime without
     * java.desktop, or without the system's font libraries, as on the GPU machine) gets one warning
     * and a run without pictures instead of a crash: metrics.csv and routing.csv hold the same data.
     */
    private void plotCharts(MetricsLog metrics, RoutingLog routingLog) {
        if (chartsFailed) {
            return;
        }
        try {
            metrics.plot();
            routingLog.plot();
        } catch (RuntimeException | LinkageError | InternalError e) {
            chartsFailed = true;
            out.println("charts skipped (cannot draw here: " + e + "); metrics.csv and routing.csv"
                    + " are complete");
        }
    }

    private StepResult trainStep(Batch batch, Device device, ParameterStore store,
                                 MoeObjective objective, RoutingStats routingStats,
                                 GlobalNormClipping clipping, AdamW optimizer, double lr) {
        ParameterList parameters = model.getParameters();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList inputs = batch.getData().toDevice(device, false);
            NDArray labels = batch.getLabels().head().toDevice(device, false);
            MoeObjective.Parts loss;
            NDArray logits;
            AuxLosses auxLosses = AuxLosses.open();
            try (auxLosses; GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                logits = model.forward(store, inputs, true).head();
                loss = objective.compute(logits, labels, auxLosses);
                collector.backward(loss.total());
            }
            routingStats.record(auxLosses, objective.blocks());
            double gradNorm = clipping != null ? clipping.clip(parameters)
                    : GlobalNormClipping.globalNorm(parameters);
            if (!Double.isFinite(gradNorm)) {
                throw new IllegalStateException("the gradient is not finite (global norm "
                        + gradNorm + ", loss " + loss.total().getFloat() + ") in parameters "
                        + nonFiniteGradients(parameters) + "; the update is not applied");
            }
            optimizer.step(parameters, lr);
            zeroGradients(parameters);
            double accuracy = Double.NaN;
            if (logits.getShape().dimension() == 2) {
                accuracy = logits.argMax(-1).toType(DataType.INT64, false)
                        .eq(labels.toType(DataType.INT64, false)).toType(DataType.FLOAT32, false)
                        .mean().getFloat();
            }
            return new StepResult(loss.total().getFloat(), loss.task().getFloat(),
                    loss.aux().getFloat(), gradNorm, accuracy);
        }
    }

    private record StepResult(double loss, double taskLoss, double auxLoss, double gradNorm,
                              double accuracy) {}

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

    private static java.util.List<String> nonFiniteGradients(ParameterList parameters) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                NDArray g = w.getGradient();
                if (g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean()) {
                    names.add(p.getKey());
                }
            }
        }
        return names;
    }

    private static void zeroGradients(ParameterList parameters) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                NDArray g = w.getGradient();
                g.subi(g);
            }
        }
    }

    /** Mean training loss and accuracy of a 1-based epoch, from its step rows. */
    private static double[] epochMeans(Table metrics, int epoch) {
        Table rows = metrics.where(metrics.stringColumn("kind").isEqualTo("step")
                .and(metrics.longColumn("epoch").isEqualTo(epoch)));
        DoubleColumn loss = rows.doubleColumn("loss");
        DoubleColumn accuracy = rows.doubleColumn("accuracy");
        return new double[] {
            loss.removeMissing().size() == 0 ? Double.NaN : loss.removeMissing().mean(),
            accuracy.removeMissing().size() == 0 ? Double.NaN : accuracy.removeMissing().mean()
        };
    }

    /** The engine seed used before step {@code step} (and, with -1, for initialisation). */
    static int seedFor(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7fffffff);
    }

    private static double rate(long steps, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? steps / seconds : Double.NaN;
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

        private Builder() {}

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
         * The model: maps a batch's data ({@code (B, C, H, W)} images or {@code (B, T)} token ids)
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
            if (config == null || model == null || trainData == null || outDir == null) {
                throw new IllegalArgumentException("a training loop needs a config, a model, "
                        + "training data and an output directory");
            }
            if (progressMode == null) {
                progressMode = ProgressLine.detectMode();
            }
            return new TrainingLoop(this);
        }
    }
}
