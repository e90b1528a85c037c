package moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward + backward of one layer ({@link LayerCase}) on {@code (T, d) = (4096, 256)} items in
 * training mode: MoE layers against the dense FFN of the same active FLOPs. The loss is
 * {@code Σ y}; the input requires a gradient, as it would inside a model. Seeds are fixed, so every
 * run routes the same tokens.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1500, timeUnit = TimeUnit.MILLISECONDS)
public class LayerBenchmark extends CpuBenchmark {

    /** The layer, see {@link LayerCase#parse}. */
    @Param({
        "dense-k1", "dense-k2", "moe-E1-k1-cf1.25-padded",
        "moe-E1-k1-cf1.25-sorted", "moe-E1-k1-dropless-padded", "moe-E1-k1-dropless-sorted",
        "moe-E4-k1-cf1.25-padded", "moe-E4-k1-cf1.25-sorted", "moe-E4-k1-dropless-padded",
        "moe-E4-k1-dropless-sorted", "moe-E4-k2-cf1.25-padded", "moe-E4-k2-cf1.25-sorted",
        "moe-E4-k2-dropless-padded", "moe-E4-k2-dropless-sorted", "moe-E8-k1-cf1.25-padded",
        "moe-E8-k1-cf1.25-sorted", "moe-E8-k1-dropless-padded", "moe-E8-k1-dropless-sorted",
        "moe-E8-k2-cf1.25-padded", "moe-E8-k2-cf1.25-sorted", "moe-E8-k2-dropless-padded",
        "moe-E8-k2-dropless-sorted", "moe-E16-k1-cf1.25-padded", "moe-E16-k1-cf1.25-sorted",
        "moe-E16-k1-dropless-padded", "moe-E16-k1-dropless-sorted", "moe-E16-k2-cf1.25-padded",
        "moe-E16-k2-cf1.25-sorted", "moe-E16-k2-dropless-padded", "moe-E16-k2-dropless-sorted",
        "moe-E64-k1-cf1.25-padded", "moe-E64-k1-cf1.25-sorted", "moe-E64-k1-dropless-padded",
        "moe-E64-k1-dropless-sorted", "moe-E64-k2-cf1.25-padded", "moe-E64-k2-cf1.25-sorted",
        "moe-E64-k2-dropless-padded", "moe-E64-k2-dropless-sorted"})
    public String layer;

    private NDManager manager;
    private Block block;
    private NDArray x;
    private ParameterStore store;

    /** Builds and initialises the layer and draws the input, all under seed 13. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(13);
        manager = NDManager.newBaseManager();
        block = LayerCase.parse(layer).build();
        block.initialize(manager, DataType.FLOAT32,
                new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM));
        block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        x = manager.randomNormal(new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM));
        x.setRequiresGradient(true);
        store = new ParameterStore(manager, false);
    }

    /** Frees every array. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** One forward and backward pass; every array it makes is freed at the end. */
    @Benchmark
    public void forwardBackward() {
        try (NDScope scope = new NDScope();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray y = block.forward(store, new NDList(x), true).head(); // (T, d)
            collector.backward(y.sum());
        }
    }
}
