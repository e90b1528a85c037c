package moelab.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import moelab.cli.Main;
import moelab.models.ModelConfig;
import moelab.train.AdamW;
import moelab.train.Checkpoint;
import moelab.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {

    @TempDir Path dir;

    private static Block model(ModelConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Block block = config.build();
        block.initialize(manager, DataType.FLOAT32, config.inputShape(1));
        return block;
    }

    private static NDArray forward(Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    @Test
    void exportsACheckpointThatLoadsBackIntoTheSameModel() {
        ModelConfig config = ModelConfig.byName("sparse-mlp-tiny");
        TrainConfig train = TrainConfig.builder().optModel(config.name())
                .optDataset("fashion-mnist").optBatchSize(4).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block trained = model(config, manager, 7);
            Checkpoint.write(dir.resolve("run"), train, new Checkpoint.State(12, 0, 12), trained,
                    new AdamW(0.9, 0.999, 1e-8, 0.01));
            Path out = dir.resolve("model.safetensors");
            int status = new CommandLine(new Main()).execute("export", "--checkpoint",
                    dir.resolve("run").toString(), "--out", out.toString());
            assertEquals(0, status, "moelab export exit status");

            Block loaded = model(config, manager, 8);
            Map<String, String> metadata = TorchWeights.load(out, loaded);
            assertEquals("12", metadata.get("moelab.step"));
            assertTrue(metadata.get(ConfigMetadata.MODEL).contains("\"name\":\"sparse-mlp-tiny\""),
                    metadata.toString());
            NDArray x = manager.randomNormal(config.inputShape(2));
            assertEquals(forward(trained, manager, x), forward(loaded, manager, x));
        }
    }
}
