package moelab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One invocation of {@link TrainingLoop#run()}: where the run is, and the epoch and step loops
 * (see the class comment of {@link TrainingLoop}).
 */
final class TrainingSession {
    private final TrainingLoop loop;
    private final RunDescription description;
    private final TrainConfig cfg;
    private final Checkpoint.State start;
    private final TrainStep trainStep;
    private final AdamW optimizer;
    private final RunLog log;
    private final NDManager manager;
    private final int stepsPerEpoch;
    private final long totalSteps;
    private final WarmupCosine schedule;
    private final double secondsBefore;
    private final long firstStep;
    private final long startNanos = System.nanoTime();
    private long step;
    private int epochsCompleted;
    private Evaluation evaluation;
    private double lr = Double.NaN;

    TrainingSession(TrainingLoop loop, RunDescription description, Checkpoint.State start,
                    double secondsBefore, TrainStep trainStep, AdamW optimizer, RunLog log,
                    NDManager manager) {
        this.loop = loop;
        this.description = description;
        this.cfg = description.train();
        this.start = start;
        this.secondsBefore = secondsBefore;
        this.trainStep = trainStep;
        this.optimizer = optimizer;
        this.log = log;
        this.manager = manager;
        this.stepsPerEpoch = EpochSampler.batchesPerEpoch(loop.trainData.size(), cfg.batchSize());
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("the training set has " + loop.trainData.size()
                    + " examples, not one full batch of " + cfg.batchSize()
                    + "; use a smaller batch size");
        }
        this.totalSteps = cfg.totalSteps(stepsPerEpoch);
        this.schedule = new WarmupCosine(cfg.learningRate(), cfg.finalLearningRate(),
                cfg.warmupSteps(totalSteps), totalSteps);
        this.step = start.step();
        this.firstStep = start.step();
        this.epochsCompleted = start.epoch();
    }

    TrainingLoop.Result run() {
        log.startProgress(step, totalSteps);
        for (int epoch = start.epoch(); epoch < cfg.epochs() && step < totalSteps; epoch++) {
            int batchIndex = epoch == start.epoch() ? start.batchInEpoch() : 0;
            Integer done = trainEpoch(epoch, batchIndex);
            if (done == null) {
                return result(true);
            }
            endEpoch(epoch, done);
        }
        return result(false);
    }

    /** Trains one epoch from {@code batchIndex}; the batches done, or null when stopped. */
    private Integer trainEpoch(int epoch, int batchIndex) {
        trainStep.routingStats().reset();
        try (NDManager epochManager = manager.newSubManager()) {
            for (Batch batch : batches(epochManager, epoch, batchIndex)) {
                if (step >= totalSteps) {
                    batch.close();
                    break;
                }
                try (batch) {
                    trainOn(batch, epoch);
                }
                batchIndex++;
                if (loop.stopAfter.test(step)) {
                    log.finishProgress();
                    log.say("stopped after step " + step + " (no checkpoint written at the"
                            + " stop)");
                    return null;
                }
                boolean epochEnd = batchIndex >= stepsPerEpoch || step >= totalSteps;
                if (!epochEnd && cfg.checkpointEvery() > 0
                        && step % cfg.checkpointEvery() == 0) {
                    checkpoint(new Checkpoint.State(step, epoch, batchIndex));
                }
            }
        }
        return batchIndex;
    }

    private void trainOn(Batch batch, int epoch) {
        Engine.getInstance().setRandomSeed(TrainingLoop.seedFor(cfg.seed(), step));
        lr = schedule.getNewValue((int) (step + 1));
        TrainStep.Metrics m = trainStep.run(batch, lr);
        step++;
        if (!Double.isFinite(m.loss())) {
            log.finishProgress();
            throw new IllegalStateException("training diverged: loss " + m.loss()
                    + " at step " + step + " (lr " + lr + "); try a lower --lr");
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        log.step(epoch + 1, cfg.epochs(), step, lr, m,
                (step - firstStep) * cfg.batchSize() / seconds, secondsBefore + seconds);
    }

    /**
     * The epoch's batches from {@code batchIndex} on. moelab.data's datasets start a new epoch
     * of augmentation draws (window offsets for text) with every getData call: a resumed run
     * first replays the calls of the epochs already done, so this one draws as the
     * uninterrupted run did.
     */
    private Iterable<Batch> batches(NDManager epochManager, int epoch, int batchIndex) {
        try {
            if (epoch == start.epoch() && epoch > 0) {
                for (int e = 0; e < epoch; e++) {
                    loop.trainData.getData(epochManager, new EpochSampler(cfg.seed(), e,
                            cfg.batchSize(), 0));
                }
            }
            return loop.trainData.getData(epochManager, new EpochSampler(cfg.seed(), epoch,
                    cfg.batchSize(), batchIndex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the training data", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot batch the training data: "
                    + e.getMessage(), e);
        }
    }

    private void endEpoch(int epoch, int batchIndex) {
        log.finishProgress();
        boolean finished = batchIndex >= stepsPerEpoch;
        if (loop.evalData != null) {
            evaluation = Evaluation.run(loop.model, loop.evalData, cfg.batchSize(), manager);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        log.epoch(epoch + 1, cfg.epochs(), step, totalSteps, lr, evaluation,
                trainStep.routingStats().summarize(),
                (step - firstStep) * cfg.batchSize() / seconds, secondsBefore + seconds);
        checkpoint(finished ? new Checkpoint.State(step, epoch + 1, 0)
                : new Checkpoint.State(step, epoch, batchIndex));
        if (finished) {
            epochsCompleted = epoch + 1;
        }
        if (step < totalSteps) {
            log.startProgress(step, totalSteps);
        }
    }

    private void checkpoint(Checkpoint.State state) {
        Checkpoint.write(loop.outDir, description, state, loop.model, optimizer);
    }

    private TrainingLoop.Result result(boolean stopped) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new TrainingLoop.Result(step, totalSteps, epochsCompleted, stopped,
                stopped ? null : evaluation,
                seconds > 0 ? (step - firstStep) / seconds : Double.NaN, loop.outDir);
    }
}
