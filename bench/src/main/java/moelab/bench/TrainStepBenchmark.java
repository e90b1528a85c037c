package moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import moelab.models.ModelConfig;
import moelab.moe.AuxLosses;
import moelab.train.AdamW;
import moelab.train.MoeObjective;
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
 * One training step of a named model ({@link ModelConfig#byName}) on a fixed random batch of 64
 * (images {@code (64, 1, 28, 28)} or token windows {@code (64, 64)}): forward, the
 * {@link MoeObjective} (cross-entropy + the weighted aux losses), backward, an {@link AdamW}
 * update, gradients zeroed, as {@code moelab.train.TrainingLoop} does it (without its logging,
 * clipping and checkpoints).
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TrainStepBenchmark extends CpuBenchmark {

    private static final int BATCH = 64;

    /** A named configuration. */
    @Param({"sparse-mlp-tiny", "mixer-tiny-eqflop", "smlp-lm-tiny", "gmlp-lm-tiny"})
    public String model;

    private NDManager manager;
    private Block block;
    private NDArray input;
    private NDArray labels;
    private MoeObjective objective;
    private AdamW optimizer;
    private ParameterStore store;

    /** Builds the model and draws the batch under seed 13. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(13);
        manager = NDManager.newBaseManager();
        ModelConfig config = ModelConfig.byName(model);
        block = config.build();
        Shape shape = config.inputShape(BATCH);
        block.initialize(manager, DataType.FLOAT32, shape);
        block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        if (config.family().isLanguageModel()) {
            NDArray tokens = manager.randomInteger(0, config.outputSize(),
                    new Shape(BATCH, shape.get(1) + 1), DataType.INT64);
            input = tokens.get(":, :-1"); // (B, T)
            labels = tokens.get(":, 1:"); // (B, T): the next token
        } else {
            input = manager.randomUniform(0f, 1f, shape); // (B, C, H, W)
            labels = manager.randomInteger(0, config.outputSize(), new Shape(BATCH), DataType.INT64);
        }
        objective = new MoeObjective(block, 1.0); // the training loop's default --aux-weight
        optimizer = new AdamW(0.9, 0.999, 1e-8, 0.01);
        store = new ParameterStore(manager, false);
    }

    /** Frees every array. */
    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        manager.close();
    }

    /** One optimiser step; the step's arrays are freed at the end. */
    @Benchmark
    public void trainStep() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            AuxLosses auxLosses = AuxLosses.open();
            try (auxLosses; GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(store, new NDList(input), true).head();
                collector.backward(objective.compute(logits, labels, auxLosses).total());
            }
            optimizer.step(block.getParameters(), 1e-3);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    NDArray g = w.getGradient();
                    g.subi(g);
                }
            }
        }
    }
}
