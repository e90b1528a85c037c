package moelab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.routing.Routing;
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
 * The parts of an MoE layer around its experts, alone, forward, capacity factor 1.25
 * ({@link RoutedBatch}):
 *
 * <ul>
 *   <li>{@link #route}: the router, logits {@code (T, E)} to a {@link Routing} (gate softmax,
 *       top-k, capacity seats, combine weights), training mode;
 *   <li>{@link #dispatchCombine}: items {@code (T, d)} into the padded expert buffers
 *       {@code (E, C, d)} and straight back to {@code (T, d)}, as if every expert were the
 *       identity, for a routing decided once in the set-up.
 * </ul>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RoutingBenchmark extends CpuBenchmark {

    /** {@code E<experts>-k<1|2>}. */
    @Param({"E1-k1", "E4-k1", "E4-k2", "E8-k1", "E8-k2", "E16-k1", "E16-k2", "E64-k1", "E64-k2"})
    public String routing;

    private NDManager manager;
    private RoutedBatch batch;
    private Routing decision;

    /** Draws the logits under a fixed seed and routes them once. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        batch = RoutedBatch.of(routing, manager);
        decision = batch.router().route(batch.logits(), null, false);
    }

    /** Frees every array. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** One routing decision; its arrays are freed at the end. */
    @Benchmark
    public int route() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return batch.router().route(batch.logits(), null, true).capacity();
        }
    }

    /** Dispatch then combine; the arrays are freed at the end. */
    @Benchmark
    public long dispatchCombine() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray buffers = Dispatch.apply(batch.items(), decision); // (E, C, d)
            return Combine.apply(buffers, decision).getShape().get(0); // (T, d)
        }
    }
}
