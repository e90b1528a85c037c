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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The MoE-to-dense ratio measured in pairs: one dense forward + backward, one MoE forward +
 * backward, alternately, {@code ROUNDS} times, and the ratio of the two medians. On a CPU shared
 * with other work the load drifts within seconds; a JMH run measures the dense layer and the MoE
 * layer minutes apart, a pair measures them under the same load. Same layers, inputs and seeds
 * as {@link LayerBenchmark}.
 *
 * <p>Usage: {@code PairedRatio OUT.csv ROUNDS CASE...}
 */
public final class PairedRatio {

    private PairedRatio() {}

    /** Measures every case against its dense layer and writes the CSV. */
    public static void main(String[] args) throws IOException {
        int rounds = Integer.parseInt(args[1]);
        List<String> rows = new ArrayList<>(List.of("case,dense_ms,moe_ms,ratio"));
        for (String name : List.of(args).subList(2, args.length)) {
            LayerCase moe = LayerCase.parse(name);
            try (NDManager manager = NDManager.newBaseManager()) {
                Layer dense = new Layer(new LayerCase(0, moe.k(), 0, null), manager);
                Layer sparse = new Layer(moe, manager);
                double[] d = new double[rounds];
                double[] m = new double[rounds];
                for (int r = -2; r < rounds; r++) { // two warm-up rounds
                    double dt = dense.pass();
                    double mt = sparse.pass();
                    if (r >= 0) {
                        d[r] = dt;
                        m[r] = mt;
                    }
                }
                String row = String.format(Locale.ROOT, "%s,%.3f,%.3f,%.4f", name, median(d),
                        median(m), median(m) / median(d));
                System.out.println(row);
                rows.add(row);
            }
        }
        Files.write(Path.of(args[0]), rows);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** One initialised layer with its input, seed 13 as in {@link LayerBenchmark}. */
    private static final class Layer {
        private final Block block;
        private final NDArray x;
        private final ParameterStore store;

        Layer(LayerCase c, NDManager manager) {
            Engine.getInstance().setRandomSeed(13);
            block = c.build();
            Shape shape = new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM);
            block.initialize(manager, DataType.FLOAT32, shape);
            block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            x = manager.randomNormal(shape);
            x.setRequiresGradient(true);
            store = new ParameterStore(manager, false);
        }

        /** Milliseconds of one forward + backward. */
        double pass() {
            long start = System.nanoTime();
            try (NDScope scope = new NDScope();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                scope.suppressNotUsedWarning();
                collector.backward(block.forward(store, new NDList(x), true).head().sum());
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }
}
