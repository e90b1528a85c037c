package moelab.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Path;
import moelab.data.DataSplits;
import moelab.data.DatasetOptions;
import moelab.data.Datasets;
import moelab.models.ModelConfig;

/**
 * The model and data a {@link TrainConfig} names: {@link ModelConfig#byName} for {@code
 * config.model()} and {@link Datasets#byName} for {@code config.dataset()}, checked against each
 * other (an image model's input shape and class count must be the dataset's; a language model
 * needs a text dataset, whose windows get the model's context length {@code T}).
 *
 * <p>Under {@code MOELAB_SMOKE} ({@link TrainConfig#smoke()}) each split is cut to {@value
 * TrainConfig#SMOKE_EXAMPLES} examples.
 *
 * @param modelConfig the named model configuration
 * @param model a fresh, uninitialised block built from it
 * @param data the dataset's splits
 */
public record NamedRun(ModelConfig modelConfig, Block model, DataSplits data) {

    /**
     * Resolves the names of a configuration.
     *
     * @param config names the model and dataset, gives batch size and seed
     * @param dataDir the dataset's directory, or null for its default places
     * @throws IllegalArgumentException for an unknown name or a model that does not fit the data
     * @throws moelab.data.DatasetException when the dataset is missing (the message says how to
     *     fetch it)
     */
    public static NamedRun load(TrainConfig config, Path dataDir) {
        return load(new RunDescription(config, null), dataDir);
    }

    /**
     * Resolves a run description: its model configuration when it holds one (a run written by
     * {@link TrainingLoop} with a model config), else the configuration its training config
     * names; the dataset by name.
     *
     * @throws IllegalArgumentException for an unknown name or a model that does not fit the data
     * @throws moelab.data.DatasetException when the dataset is missing
     */
    public static NamedRun load(RunDescription run, Path dataDir) {
        TrainConfig config = run.train();
        if (run.model() == null && config.model() == null || config.dataset() == null) {
            throw new IllegalArgumentException("the run needs a model config and a dataset name"
                    + " (--config NAME --dataset NAME); model configs: "
                    + String.join(", ", ModelConfig.names()) + "; datasets: "
                    + String.join(", ", Datasets.NAMES));
        }
        ModelConfig modelConfig = run.resolvedModel();
        DatasetOptions options = DatasetOptions.defaults().withDataDir(dataDir)
                .withBatchSize(config.batchSize()).withSeed(config.seed());
        if (config.smoke()) {
            options = options.withLimit(TrainConfig.SMOKE_EXAMPLES);
        }
        Shape input = modelConfig.inputShape(1); // (1, T) or (1, channels, H, W)
        if (modelConfig.isLanguageModel()) {
            options = options.withSequenceLength(Math.toIntExact(input.get(1)));
        } else {
            options = options.withImageSize(Math.toIntExact(input.get(2)));
        }
        DataSplits data = Datasets.byName(config.dataset(), options);
        check(modelConfig, data);
        return new NamedRun(modelConfig, modelConfig.build(), data);
    }

    /** This run's description: the model configuration and {@code config}. */
    public RunDescription describe(TrainConfig config) {
        return new RunDescription(config, modelConfig);
    }

    private static void check(ModelConfig m, DataSplits d) {
        boolean lm = m.family().isLanguageModel();
        boolean text = d.task() == DataSplits.Task.LANGUAGE_MODELLING;
        if (lm != text) {
            throw new IllegalArgumentException("model " + m.name() + " is "
                    + (lm ? "a language model" : "an image classifier") + " but dataset " + d.name()
                    + " is " + (text ? "text" : "images"));
        }
        if (lm) {
            if (d.numClasses() > m.outputSize()) {
                throw new IllegalArgumentException("dataset " + d.name() + " has " + d.numClasses()
                        + " token ids but model " + m.name() + " a vocabulary of " + m.outputSize());
            }
            return;
        }
        Shape modelInput = m.inputShape(1).slice(1);
        if (!modelInput.equals(d.exampleShape())) {
            throw new IllegalArgumentException("model " + m.name() + " takes images " + modelInput
                    + " but dataset " + d.name() + " has " + d.exampleShape()
                    + "; pick the model config made for this dataset");
        }
        if (m.outputSize() != d.numClasses()) {
            throw new IllegalArgumentException("model " + m.name() + " predicts " + m.outputSize()
                    + " classes but dataset " + d.name() + " has " + d.numClasses());
        }
    }
}
