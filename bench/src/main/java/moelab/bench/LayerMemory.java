package moelab.bench;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory of one forward + backward pass of each {@link LayerCase} as E grows, two ways:
 *
 * <ul>
 *   <li>{@code ndarray_bytes}: bytes of the NDArrays the forward pass creates (all alive until
 *       the backward pass is done: activations, buffers, indices); a view made by reshape or
 *       slicing is counted again at its size, so this is an upper bound of what is allocated;
 *   <li>{@code peak_rss_bytes}: how far the process's resident memory rose above its level just
 *       before the pass, over forward + backward ({@code VmHWM} after resetting it through
 *       {@code /proc/self/clear_refs}); meaningful when large blocks go back to the system on
 *       free, so run it with {@code MALLOC_MMAP_THRESHOLD_=65536} as {@code bench/run.sh} does.
 * </ul>
 *
 * Both are also given per {@code T · k · d} float (the size of the routed copies of the input):
 * a layer whose memory grows with {@code T · k · d} keeps that ratio flat as E grows.
 *
 * <p>Usage: {@code LayerMemory OUT.csv [CASE...]} (default: every MoE case of
 * {@link LayerBenchmark} and both dense layers).
 */
public final class LayerMemory {

    private LayerMemory() {}

    /** Measures the cases and writes the CSV. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: LayerMemory OUT.csv [CASE...]");
        }
        List<String> cases = args.length > 1 ? List.of(args).subList(1, args.length)
                : defaultCases();
        List<String> rows = new ArrayList<>();
        rows.add("case,experts,k,ndarray_bytes,peak_rss_bytes,ndarray_per_tkd,peak_rss_per_tkd");
        for (String name : cases) {
            LayerCase c = LayerCase.parse(name);
            long[] bytes = measure(c);
            double tkd = 4.0 * LayerCase.TOKENS * c.k() * LayerCase.MODEL_DIM;
            String row = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.2f,%.2f", name, c.experts(),
                    c.k(), bytes[0], bytes[1], bytes[0] / tkd, bytes[1] / tkd);
            System.out.println(row);
            rows.add(row);
        }
        Files.write(Path.of(args[0]), rows);
    }

    private static List<String> defaultCases() {
        List<String> cases = new ArrayList<>(List.of("dense-k1", "dense-k2"));
        for (int e : new int[] {1, 4, 8, 16, 64}) {
            for (int k = 1; k <= Math.min(2, e); k++) {
                for (String cf : new String[] {"cf1.25", "dropless"}) {
                    for (String execution : new String[] {"padded", "sorted"}) {
                        cases.add("moe-E" + e + "-k" + k + "-" + cf + "-" + execution);
                    }
                }
            }
        }
        return cases;
    }

    /** {ndarray bytes, peak RSS rise} of one forward + backward pass (after one warm-up pass). */
    static long[] measure(LayerCase c) throws IOException {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = c.build();
            Shape shape = new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM);
            block.initialize(manager, DataType.FLOAT32, shape);
            block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(shape);
            pass(block, store, x); // warm-up: gradients and lazily made arrays exist from here on
            resetPeak();
            long before = procStatus("VmRSS:");
            long arrays = pass(block, store, x);
            return new long[] {arrays, procStatus("VmHWM:") - before};
        }
    }

    /** One forward + backward in its own manager; returns the bytes of the forward's arrays. */
    private static long pass(Block block, ParameterStore store, NDArray x) {
        try (NDManager pass = x.getManager().newSubManager()) {
            NDArray input = x.duplicate();
            pass.attachAll(input);
            input.setRequiresGradient(true);
            long bytes;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(store, new NDList(input), true).head();
                bytes = 0;
                for (NDArray a : pass.getManagedArrays()) {
                    bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
                }
                collector.backward(y.sum());
            }
            return bytes;
        }
    }

    private static void resetPeak() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }

    /** A {@code /proc/self/status} line such as {@code VmHWM:}, in bytes. */
    private static long procStatus(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return 1024 * Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " in /proc/self/status");
    }
}
