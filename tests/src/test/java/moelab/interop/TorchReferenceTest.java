package moelab.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moelab.models.ModelConfig;
import moelab.moe.MoeLayer;
import moelab.routing.BatchPriorityRouter;
import moelab.routing.GShardRouter;
import moelab.routing.Priority;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks moelab against the PyTorch reference modules in
 * {@code bench/reference/moelab_torch.py}: the weights exported to safetensors, a fixed input
 * {@code x} and upstream gradient {@code dy}, then the output and the gradient of
 * {@code sum(y · dy)} for every parameter must agree within 1e-4 (relative to the largest value
 * when that is above 1). Runs only where {@code /usr/bin/python3} (or {@code $MOELAB_PYTHON})
 * can import torch (Debian's {@code python3-torch}); skipped otherwise, e.g. on CI.
 */
class TorchReferenceTest {

    /** The Python that runs the reference: {@code $MOELAB_PYTHON}, else Debian's. */
    private static final String PYTHON =
            System.getenv().getOrDefault("MOELAB_PYTHON", "/usr/bin/python3");
    private static final double TOLERANCE = 1e-4;

    @TempDir Path dir;

    /** Why the reference cannot run ("" when it can), worked out once. */
    private static String torchMissing;

    @BeforeEach
    void needsPyTorch() {
        if (torchMissing == null) {
            String why = whyNoTorch();
            torchMissing = why == null ? "" : why;
        }
        assumeTrue(torchMissing.isEmpty(), () -> "PyTorch cross-check skipped: " + torchMissing);
    }

    /** Null when {@value #PYTHON} imports torch, else the reason it cannot. */
    private static String whyNoTorch() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found (install Debian's python3-torch to run them)";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true)
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'" + PYTHON + " -c \"import torch\"' took over 120 s";
            }
            return p.exitValue() == 0 ? null : PYTHON + " cannot import torch (install Debian's"
                    + " python3-torch to run them)";
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("bench/reference/moelab_torch.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bench/reference/moelab_torch.py not found above "
                + Path.of("").toAbsolutePath());
    }

    /** Runs {@code moelab_torch.py} with {@code args} and fails with its output unless it succeeds. */
    private static void runReference(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "moelab_torch.py did not finish: " + log);
        assertEquals(0, p.exitValue(), () -> "moelab_torch.py " + args[0] + " failed:\n" + log);
    }

    /** Runs the reference on {@code block}'s exported weights and compares with DJL's results. */
    private void assertMatchesPyTorch(Block block, Map<String, String> metadata, NDArray x,
            NDArray dy) throws IOException, InterruptedException {
        NDManager manager = x.getManager();
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
            gc.backward(y.mul(dy).sum());
        }
        Path weights = TorchWeights.export(block, dir.resolve("weights.safetensors"), metadata);
        Path inputs = new SafetensorsFile(List.of(StoredTensor.of("x", x),
                StoredTensor.of("dy", dy)), Map.of()).write(dir.resolve("inputs.safetensors"));
        Path out = dir.resolve("torch.safetensors");
        runReference("check", "--weights", weights.toString(), "--inputs", inputs.toString(),
                "--out", out.toString());

        SafetensorsFile torch = SafetensorsFile.read(out);
        assertClose("output y", y, torch.get("y").toArray(manager));
        for (TorchParameter param : TorchNames.of(block)) {
            NDArray grad = param.layout().toTorch(param.parameter().getArray().getGradient());
            assertClose("gradient of " + param.name(), grad,
                    torch.get("grad/" + param.name()).toArray(manager));
        }
    }

    private static void assertClose(String what, NDArray djl, NDArray torch) {
        assertEquals(torch.getShape(), djl.getShape(), what + ": shape");
        double scale = Math.max(1.0, torch.abs().max().getFloat());
        double diff = djl.sub(torch).abs().max().getFloat();
        assertTrue(diff <= TOLERANCE * scale, () -> what + ": DJL and PyTorch differ by " + diff
                + " (largest |value| " + scale + ", tolerance " + TOLERANCE * scale + ")");
    }

    private static NDManager seeded(int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return NDManager.newBaseManager();
    }

    @Test
    void gshardLayerWithDropsMatchesPyTorch() throws Exception {
        try (NDManager manager = seeded(11)) {
            // top-2, weights renormalised, capacity ceil(2 · 24 · 0.75 / 4) = 9 of 12 wanted
            MoeLayer layer = MoeLayer.builder().setNumExperts(4).setModelDim(8).setHiddenDim(16)
                    .setRouter(new GShardRouter(0.75)).build();
            layer.initialize(manager, DataType.FLOAT32, new Shape(2, 12, 8));
            NDArray x = manager.randomNormal(new Shape(2, 12, 8));
            assertMatchesPyTorch(layer, ConfigMetadata.moeLayer(4, 8, 16, 2, 0.75, true,
                    Priority.BATCH_ORDER), x, manager.randomNormal(x.getShape()));
            assertTrue(layer.lastRouting().dropped() > 0, "the case should drop items");
        }
    }

    @Test
    void batchPriorityLayerWithDropsMatchesPyTorch() throws Exception {
        try (NDManager manager = seeded(12)) {
            MoeLayer layer = MoeLayer.builder().setNumExperts(4).setModelDim(8).setHiddenDim(16)
                    .setRouter(new BatchPriorityRouter(1, 0.5, 0)).build();
            layer.initialize(manager, DataType.FLOAT32, new Shape(32, 8));
            NDArray x = manager.randomNormal(new Shape(32, 8));
            assertMatchesPyTorch(layer, ConfigMetadata.moeLayer(4, 8, 16, 1, 0.5, false,
                    Priority.TOP_GATE), x, manager.randomNormal(x.getShape()));
            assertTrue(layer.lastRouting().dropped() > 0, "the case should drop items");
        }
    }

    /**
     * {@code name}'s model on a batch of 2: random images, or random token ids of 16 positions
     * (shorter than the context, so the spatial matrices' top-left corner is used).
     */
    private void assertModelMatches(String name, int seed) throws Exception {
        try (NDManager manager = seeded(seed)) {
            ModelConfig config = ModelConfig.byName(name);
            Block model = config.build();
            model.initialize(manager, DataType.FLOAT32, config.inputShape(2));
            boolean lm = config.family().isLanguageModel();
            NDArray x = lm
                    ? manager.randomInteger(0, config.outputSize(), new Shape(2, 16), DataType.INT64)
                    : manager.randomNormal(config.inputShape(2));
            Shape out = lm ? new Shape(2, 16, config.outputSize()) : new Shape(2, config.outputSize());
            assertMatchesPyTorch(model, ConfigMetadata.of(config), x, manager.randomNormal(out));
        }
    }

    @Test
    void expertWeightsMapOntoDeepSpeedAndTutelLayouts() throws Exception {
        runReference("selftest");
    }

    @Test
    void sparseMlpTinyMatchesPyTorch() throws Exception {
        assertModelMatches("sparse-mlp-tiny", 13);
    }

    @Test
    void mixerTinyMatchesPyTorch() throws Exception {
        assertModelMatches("mixer-tiny", 14);
    }

    @Test
    void gmlpLmTinyMatchesPyTorch() throws Exception {
        assertModelMatches("gmlp-lm-tiny", 15);
    }

    @Test
    void smlpLmTinyMatchesPyTorch() throws Exception {
        assertModelMatches("smlp-lm-tiny", 16);
    }
}
