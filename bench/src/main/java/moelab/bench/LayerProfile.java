package moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.moe.ExpertExecution;
import moelab.moe.MoeLayer;
import moelab.moe.SortedExperts;
import moelab.routing.Routing;

/**
 * Where the time of an MoE layer's forward + backward goes: the layer's steps run one by one
 * (gate, route, dispatch, experts, combine — or the sorted experts — then backward), each timed
 * with {@link System#nanoTime} (CPU operations are synchronous), averaged over several passes
 * after warm-up passes.
 *
 * <p>Usage: {@code LayerProfile PASSES CASE...}, e.g. {@code LayerProfile 10
 * moe-E8-k1-cf1.25-sorted}. Prints one line per case: milliseconds per step.
 */
public final class LayerProfile {

    private LayerProfile() {}

    /** Profiles each case and prints its steps. */
    public static void main(String[] args) {
        int passes = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            LayerCase c = LayerCase.parse(args[i]);
            if (c.dense()) {
                throw new IllegalArgumentException("profile an MoE case, not " + args[i]);
            }
            Map<String, Double> ms = profile(c, passes);
            StringBuilder line = new StringBuilder(args[i]);
            ms.forEach((step, t) -> line.append(String.format(Locale.ROOT, "  %s %.1f", step, t)));
            System.out.println(line + "  (ms per pass)");
        }
    }

    static Map<String, Double> profile(LayerCase c, int passes) {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = (MoeLayer) c.build();
            Shape shape = new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM);
            layer.initialize(manager, DataType.FLOAT32, shape);
            layer.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(shape);
            x.setRequiresGradient(true);
            Map<String, Double> total = new LinkedHashMap<>();
            int warmup = Math.max(2, passes / 5);
            for (int pass = 0; pass < warmup + passes; pass++) {
                Map<String, Long> nanos = pass(layer, store, x, c.execution());
                if (pass >= warmup) {
                    nanos.forEach((k, v) -> total.merge(k, v / 1e6 / passes, Double::sum));
                }
            }
            return total;
        }
    }

    private static Map<String, Long> pass(MoeLayer layer, ParameterStore store, NDArray x,
            ExpertExecution execution) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        try (NDScope scope = new NDScope();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            long t0 = System.nanoTime();
            NDArray logits = x.matMul(store.getValue(layer.gate(), x.getDevice(), true)); // (T, E)
            long t1 = lap(nanos, "gate", t0);
            Routing routing = layer.router().route(logits, null, true);
            long t2 = lap(nanos, "route", t1);
            NDArray y;
            if (execution == ExpertExecution.SORTED) {
                y = SortedExperts.apply(x, routing, layer.experts(), store, true);
                t2 = lap(nanos, "sorted-experts", t2);
            } else {
                NDArray buffers = Dispatch.apply(x, routing); // (E, C, d)
                long t3 = lap(nanos, "dispatch", t2);
                NDArray out = layer.experts().forward(store, new NDList(buffers), true).head();
                long t4 = lap(nanos, "experts", t3);
                y = Combine.apply(out, routing); // (T, d)
                t2 = lap(nanos, "combine", t4);
            }
            collector.backward(y.sum());
            lap(nanos, "backward", t2);
        }
        return nanos;
    }

    private static long lap(Map<String, Long> nanos, String step, long since) {
        long now = System.nanoTime();
        nanos.put(step, now - since);
        return now;
    }
}
