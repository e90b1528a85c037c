package moelab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.concurrent.TimeUnit;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.routing.Routing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dispatch + combine alone (forward): items {@code (T, d)} into the padded expert buffers
 * {@code (E, C, d)} and straight back to {@code (T, d)}, as if every expert were the identity,
 * for a fixed routing ({@link RoutedBatch}, capacity factor 1.25) decided once in the set-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DispatchCombineBenchmark {

    /** {@code E<experts>-k<1|2>}. */
    @Param({"E1-k1", "E4-k1", "E4-k2", "E8-k1", "E8-k2", "E16-k1", "E16-k2", "E64-k1", "E64-k2"})
    public String routing;

    private NDManager manager;
    private NDArray items;
    private Routing decision;

    /** Draws the items and routes them once. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        RoutedBatch batch = RoutedBatch.of(routing, manager);
        items = batch.items();
        decision = batch.router().route(batch.logits(), null, false);
    }

    /** Frees every array. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** Dispatch then combine; the arrays are freed at the end. */
    @Benchmark
    public long dispatchCombine() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray buffers = Dispatch.apply(items, decision); // (E, C, d)
            return Combine.apply(buffers, decision).getShape().get(0); // (T, d)
        }
    }
}
