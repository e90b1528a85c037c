package moelab.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import moelab.models.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchWeightsTest {

    @TempDir Path dir;

    private static Block model(String name, NDManager manager, int seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
        ModelConfig config = ModelConfig.byName(name);
        Block block = config.build();
        block.initialize(manager, DataType.FLOAT32, config.inputShape(2));
        return block;
    }

    private static NDArray forward(Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    private static Map<String, Shape> shapes(Block block) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (TorchParameter p : TorchNames.of(block)) {
            shapes.put(p.name(), p.torchShape());
        }
        return shapes;
    }

    @Test
    void sparseMlpTinyHasPyTorchNames() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Shape> names = shapes(model("sparse-mlp-tiny", manager, 1));
            Map<String, Shape> expected = new LinkedHashMap<>();
            expected.put("patch_embedding.projection.weight", new Shape(64, 16));
            expected.put("blocks.0.token_norm.weight", new Shape(64));
            expected.put("blocks.0.token_mixing.w1", new Shape(49, 64));
            expected.put("blocks.0.channel_mixing.b2", new Shape(64));
            expected.put("blocks.2.re_representation1.channel_projection.weight", new Shape(32, 64));
            expected.put("blocks.2.re_representation1.patch_projection.weight", new Shape(98, 49));
            expected.put("blocks.2.moe_s.gate.weight", new Shape(4, 98)); // (E, d): W_g transposed
            expected.put("blocks.2.moe_s.experts.w1", new Shape(4, 98, 64));
            expected.put("blocks.2.moe_s.experts.b1", new Shape(4, 64)); // (E, 1, h) squeezed
            expected.put("blocks.3.moe_c.gate.weight", new Shape(4, 64));
            expected.put("blocks.3.moe_c.experts.w2", new Shape(4, 256, 64));
            expected.put("blocks.3.re_representation2.patch_projection.bias", new Shape(49));
            expected.put("norm.weight", new Shape(64));
            expected.put("head.weight", new Shape(10, 64));
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), names.get(e.getKey()),
                        () -> e.getKey() + " in " + names.keySet());
            }
            // stem, 2 dense blocks of 12, 2 sparse blocks of 22, norm and head
            assertEquals(2 + 2 * 12 + 2 * 22 + 4, names.size(), () -> "names: " + names.keySet());
        }
    }

    @Test
    void smlpLmTinyHasPyTorchNames() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Shape> names = shapes(model("smlp-lm-tiny", manager, 1));
            Map<String, Shape> expected = new LinkedHashMap<>();
            expected.put("token_embedding.weight", new Shape(256, 64)); // tied: no head.weight
            expected.put("blocks.0.projection_in.weight", new Shape(574, 64));
            expected.put("blocks.0.gating.norm.weight", new Shape(287));
            expected.put("blocks.0.gating.spatial.weight", new Shape(1, 64, 64));
            expected.put("blocks.0.gating.spatial.bias", new Shape(1, 64, 1));
            expected.put("blocks.3.spatial_norm.weight", new Shape(64));
            expected.put("blocks.3.s_moe.experts.weight", new Shape(4, 64, 64));
            expected.put("blocks.3.t_moe.gate.weight", new Shape(4, 64));
            expected.put("blocks.3.t_moe.experts.b1", new Shape(4, 287));
            expected.put("norm.bias", new Shape(64));
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), names.get(e.getKey()),
                        () -> e.getKey() + " in " + names.keySet());
            }
            assertFalse(names.containsKey("head.weight"), () -> "tied model: " + names.keySet());
        }
    }

    @Test
    void snakeCaseFollowsPyTorchHabits() {
        assertEquals("re_representation1", TorchNames.snakeCase("reRepresentation1"));
        assertEquals("s_moe", TorchNames.snakeCase("sMoE"));
        assertEquals("projection_in", TorchNames.snakeCase("projectionIn"));
    }

    @Test
    void exportThenLoadGivesTheSameModel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block source = model("sparse-mlp-tiny", manager, 1);
            Block target = model("sparse-mlp-tiny", manager, 2);
            NDArray x = manager.randomNormal(new Shape(2, 1, 28, 28));
            assertNotEquals(forward(source, manager, x), forward(target, manager, x));
            Path file = TorchWeights.export(source, dir.resolve("w.safetensors"),
                    ConfigMetadata.of(ModelConfig.byName("sparse-mlp-tiny")));
            Map<String, String> metadata = TorchWeights.load(file, target);
            assertEquals("pt", metadata.get("format"));
            assertTrue(metadata.get(ConfigMetadata.MODEL).contains("\"family\":\"SPARSE_MLP\""),
                    metadata.toString());
            assertEquals(forward(source, manager, x), forward(target, manager, x));
        }
    }

    /** The error of loading {@code file} into a fresh sparse-mlp-tiny; the model must not change. */
    private static String loadError(SafetensorsFile file, NDManager manager) {
        Block target = model("sparse-mlp-tiny", manager, 3);
        NDArray x = manager.randomNormal(new Shape(1, 1, 28, 28));
        NDArray before = forward(target, manager, x);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TorchWeights.load(file, target));
        assertEquals(before, forward(target, manager, x), "a refused load changed the model");
        return e.getMessage();
    }

    private static SafetensorsFile replaced(SafetensorsFile file, String name, StoredTensor with) {
        List<StoredTensor> tensors = new ArrayList<>();
        for (StoredTensor t : file.tensors()) {
            if (!t.name().equals(name)) {
                tensors.add(t);
            } else if (with != null) {
                tensors.add(with);
            }
        }
        return new SafetensorsFile(tensors, file.metadata());
    }

    @Test
    void missingExtraMisshapedAndMistypedTensorsAreNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsFile good = TorchWeights.stateDict(model("sparse-mlp-tiny", manager, 1),
                    Map.of());
            String gate = "blocks.2.moe_s.gate.weight";
            String missing = loadError(replaced(good, gate, null), manager);
            assertTrue(missing.contains("missing tensor '" + gate + "' (expected F32 (4, 98))"),
                    missing);

            NDArray wrong = manager.zeros(new Shape(98, 4)); // moelab's layout, not PyTorch's
            String misshaped = loadError(replaced(good, gate, StoredTensor.of(gate, wrong)), manager);
            assertTrue(misshaped.contains("tensor '" + gate + "' is F32 (98, 4), expected F32 (4, 98)"),
                    misshaped);

            NDArray half = manager.zeros(new Shape(4, 98), DataType.FLOAT64);
            String mistyped = loadError(replaced(good, gate, StoredTensor.of(gate, half)), manager);
            assertTrue(mistyped.contains("is F64 (4, 98), expected F32 (4, 98)"), mistyped);

            List<StoredTensor> more = new ArrayList<>(good.tensors());
            more.add(StoredTensor.of("blocks.9.extra", manager.zeros(new Shape(2))));
            String extra = loadError(new SafetensorsFile(more, Map.of()), manager);
            assertTrue(extra.contains("unexpected tensor 'blocks.9.extra' (2)"), extra);
        }
    }
}
