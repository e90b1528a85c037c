package moelab.cli;

import ai.djl.engine.Engine;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import moelab.models.ModelConfig;
import moelab.models.ModelConfigs;
import moelab.train.Checkpoint;
import moelab.train.NamedRun;
import moelab.train.RunDescription;
import moelab.train.TrainConfig;
import moelab.train.TrainingLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moelab train}: trains a model configuration on a named dataset with {@link
 * TrainingLoop}, writing {@code run.json}, {@code metrics.csv}, {@code curves.png}, {@code
 * routing.csv}, {@code routing.png} and {@code checkpoint.ckpt} into {@code --out}.
 *
 * <pre>
 * moelab train --config sparse-mlp-tiny --dataset fashion-mnist --epochs 5 --batch-size 128 \
 *     --lr 1e-3 --seed 1 --out runs/smlp
 * moelab train --config sparse-mlp-tiny --set moe.experts=8 --set router=bpr --dataset \
 *     fashion-mnist --out runs/smlp-e8        # a variant: any model config field can be set
 * moelab train --out runs/smlp --resume      # continue a killed run from its last checkpoint
 * </pre>
 *
 * A resumed run takes everything from the run directory (model and training configuration), so a
 * run started from a notebook with any model resumes here too. {@code MOELAB_SMOKE=1} and {@code
 * MOELAB_MAX_STEPS=N} cap the run (see {@link TrainConfig}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model config on a dataset (AdamW, warm-up + cosine, MoE aux losses)",
        sortOptions = false)
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "NAME",
            description = "model config, e.g. sparse-mlp-tiny, smlp-lm-tiny (not needed with --resume)")
    String model;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a model config field, e.g. moe.experts=8, router=bpr,"
                    + " capacity-factor=2 (repeatable; an unknown key lists the valid ones;"
                    + " moelab info --config NAME --set ... shows the result)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "dataset, e.g. fashion-mnist, cifar10, kjv (not needed with --resume)")
    String dataset;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "passes over the training set (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "examples per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "seed of initialisation, data order and noise (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory")
    Path out;

    @Option(names = "--resume", description = "continue from DIR's last good checkpoint (the model and training configuration stored there are used)")
    boolean resume;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the dataset lives (default: its usual places)")
    Path dataDir;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "cap on optimiser steps (0: none)")
    long maxSteps;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "500", description = "steps between checkpoints, besides every epoch end (default ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "-1", description = "warm-up steps (default: 5%% of the run)")
    int warmup;

    @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "0.01", description = "AdamW weight decay (default ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--clip-norm", paramLabel = "X", defaultValue = "1.0", description = "global gradient-norm cap, 0 for none (default ${DEFAULT-VALUE})")
    double clipNorm;

    @Option(names = "--aux-weight", paramLabel = "X", defaultValue = "1.0", description = "weight of the summed MoE aux losses (default ${DEFAULT-VALUE})")
    double auxWeight;

    @Override
    public Integer call() {
        boolean resuming = resume && Checkpoint.exists(out);
        if (resuming && !settings.isEmpty()) {
            throw new IllegalArgumentException("--set cannot change a run being resumed (its"
                    + " model is in " + out + "); start a new run in another --out directory");
        }
        RunDescription description = resuming
                ? Checkpoint.latest(out, new PrintStream(OutputStream.nullOutputStream())).run()
                : newRun();
        NamedRun run = NamedRun.load(description, dataDir);
        System.out.println(run.data().summary());
        ModelConfig model = run.modelConfig();
        System.out.println("model " + model.name() + ": " + model.cost());
        if (model.isLanguageModel()) {
            System.out.println("causal in training: " + (model.causalInTraining() ? "yes" : "no")
                    + ", in evaluation: " + (model.causalInEvaluation() ? "yes" : "no"));
        }
        System.out.println("devices " + Arrays.toString(Engine.getInstance().getDevices())
                + (Engine.getInstance().getGpuCount() > 1 ? " (each step's batch split across"
                + " them)" : ""));
        TrainingLoop.Result result = TrainingLoop.builder().setConfig(description.train())
                .optModelConfig(run.modelConfig()).setModel(run.model())
                .setTrainData(run.data().train()).optEvalData(run.data().validation())
                .setOutputDir(out).optResume(resume).build().run();
        System.out.println(String.format(Locale.ROOT, "%d/%d steps, %.2f steps/s; files in %s",
                result.steps(), result.totalSteps(), result.stepsPerSecond(),
                result.outputDir().toAbsolutePath()));
        return 0;
    }

    /** The run the options describe. */
    private RunDescription newRun() {
        if (resume) {
            System.out.println("no checkpoint in " + out + ": starting a new run");
        }
        TrainConfig config = TrainConfig.builder().optModel(model).optDataset(dataset)
                .optEpochs(epochs).optBatchSize(batchSize).optLearningRate(learningRate)
                .optSeed(seed).optMaxSteps(maxSteps).optCheckpointEvery(checkpointEvery)
                .optWarmupSteps(warmup).optWeightDecay(weightDecay).optClipNorm(clipNorm)
                .optAuxLossWeight(auxWeight).build().withEnvironment(System.getenv());
        if (model == null) {
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException("--set needs --config NAME (the config the"
                        + " settings change)");
            }
            return new RunDescription(config, null);
        }
        return new RunDescription(config, ModelConfigs.override(ModelConfig.byName(model),
                settings));
    }
}
