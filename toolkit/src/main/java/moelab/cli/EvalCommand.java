package moelab.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.RandomAccessDataset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import moelab.train.Checkpoint;
import moelab.train.Evaluation;
import moelab.train.NamedRun;
import moelab.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moelab eval}: evaluates a checkpoint on a split of a dataset — loss and accuracy for image
 * classifiers, loss, bits per character and perplexity for language models. The model is rebuilt
 * from the configuration stored in the checkpoint (any model, a notebook's variant included).
 *
 * <pre>
 * moelab eval --checkpoint runs/smlp --dataset fashion-mnist --split test
 * </pre>
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a dataset split", sortOptions = false)
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", paramLabel = "DIR_OR_FILE", required = true,
            description = "a run directory or a checkpoint file")
    Path checkpoint;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "dataset (default: the one the checkpoint was trained on)")
    String dataset;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "train, validation or test (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the dataset lives")
    Path dataDir;

    @Option(names = "--batch-size", paramLabel = "B", description = "examples per forward pass (default: the training batch size)")
    Integer batchSize;

    @Override
    public Integer call() {
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        TrainConfig.Builder b = ckpt.config().toBuilder();
        if (dataset != null) {
            b.optDataset(dataset);
        }
        if (batchSize != null) {
            b.optBatchSize(batchSize);
        }
        TrainConfig config = b.build().withEnvironment(System.getenv());
        NamedRun run = NamedRun.load(ckpt.run().withTrain(config), dataDir);
        RandomAccessDataset data = switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> run.data().train();
            case "validation", "valid", "val" -> run.data().validation();
            case "test" -> run.data().test();
            default -> throw new IllegalArgumentException(
                    "--split must be train, validation or test, got " + split);
        };
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            run.model().initialize(manager, DataType.FLOAT32,
                    run.modelConfig().inputShape(config.batchSize()));
            ckpt.restore(run.model(), null, manager);
            Evaluation e = Evaluation.run(run.model(), data, config.batchSize(), manager);
            System.out.println(run.modelConfig().name() + " at step " + ckpt.state().step() + " on "
                    + run.data().name() + " " + split + ": " + e);
        }
        return 0;
    }
}
