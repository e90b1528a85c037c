package moelab.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import moelab.interop.ConfigMetadata;
import moelab.interop.TorchNames;
import moelab.interop.TorchWeights;
import moelab.models.ModelConfig;
import moelab.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moelab export}: writes a checkpoint's model weights to a safetensors file under their
 * PyTorch names ({@link TorchNames}), with the model configuration in its metadata, for
 * {@code bench/reference/moelab_torch.py} or any PyTorch code.
 *
 * <pre>
 * moelab export --checkpoint runs/sparse-mlp --out sparse-mlp.safetensors
 * </pre>
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a checkpoint's weights to safetensors with PyTorch names")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = {"--checkpoint", "--run"}, paramLabel = "DIR_OR_FILE", required = true,
            description = "a run directory or a checkpoint file")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "the safetensors file to write (replaced atomically)")
    Path out;

    @Override
    public Integer call() {
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        ModelConfig config = ckpt.run().resolvedModel();
        Block model = config.build();
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, config.inputShape(1));
            ckpt.restore(model, null, manager);
            Map<String, String> metadata = new LinkedHashMap<>(ConfigMetadata.of(config));
            metadata.put("moelab.step", Long.toString(ckpt.state().step()));
            TorchWeights.export(model, out, metadata);
            System.out.println("wrote " + TorchNames.of(model).size() + " tensors of "
                    + config.name() + " at step " + ckpt.state().step() + " to " + out);
        }
        return 0;
    }
}
