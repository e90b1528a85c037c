package moelab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.concurrent.TimeUnit;
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
 * The router alone: logits {@code (T, E)} to a {@link Routing} (gate softmax, top-k, capacity
 * seats, combine weights), training mode, capacity factor 1.25 ({@link RoutedBatch}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RouterBenchmark {

    /** {@code E<experts>-k<1|2>}. */
    @Param({"E1-k1", "E4-k1", "E4-k2", "E8-k1", "E8-k2", "E16-k1", "E16-k2", "E64-k1", "E64-k2"})
    public String routing;

    private NDManager manager;
    private RoutedBatch batch;

    /** Draws the logits under a fixed seed. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        batch = RoutedBatch.of(routing, manager);
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
            Routing r = batch.router().route(batch.logits(), null, true);
            return r.capacity();
        }
    }
}
