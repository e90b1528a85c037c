package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import moelab.moe.AuxLosses;
import moelab.moe.MoeBlock;
import moelab.routing.Routing;

/**
 * Routing statistics of every MoE layer accumulated over many forward passes (an epoch): how many
 * items each expert kept (its <em>load</em>), how many assignments were dropped for lack of
 * capacity, and the router's mean entropy {@code H = −Σ_e p_e ln p_e} (nats) per item, which is
 * {@code ln E} for a uniform router and 0 for a collapsed one.
 */
public final class RoutingStats {

    private final Map<String, Accumulator> layers = new LinkedHashMap<>();

    /**
     * Adds the routings of one forward pass: one per MoE forward call in its record (a layer
     * called twice adds both routings to its row; a layer that did not run adds nothing).
     *
     * @param forward the pass's record
     * @param blocks the model's MoE blocks by path ({@link MoeBlock#findAll}), which name the
     *     layers; a block not among them is named by its class
     */
    public void record(AuxLosses forward, Map<String, MoeBlock> blocks) {
        Map<MoeBlock, String> names = new IdentityHashMap<>();
        blocks.forEach((path, block) -> names.putIfAbsent(block, path));
        for (AuxLosses.Entry entry : forward.entries()) {
            Routing routing = entry.routing();
            String name = names.getOrDefault(entry.layer(), entry.layer().getClass().getSimpleName());
            layers.computeIfAbsent(name, k -> new Accumulator(routing.numExperts())).add(routing);
        }
    }

    /** The summary of each layer seen since the last {@link #reset()}, in forward order. */
    public List<LayerSummary> summarize() {
        List<LayerSummary> out = new ArrayList<>();
        layers.forEach((name, acc) -> out.add(new LayerSummary(name, acc.load.clone(), acc.dropped,
                acc.assigned, acc.items == 0 ? Double.NaN : acc.entropySum / acc.items)));
        return out;
    }

    /** Forgets everything recorded (call at the start of each epoch). */
    public void reset() {
        layers.clear();
    }

    /**
     * Mean router entropy per item, in nats.
     *
     * @param probs {@code (T, E)} router probabilities
     * @return {@code mean_t −Σ_e p_te ln p_te}
     */
    public static double meanEntropy(NDArray probs) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray p = probs.stopGradient();
            return p.mul(p.add(1e-12f).log()).sum(new int[] {-1}).neg().mean().getFloat();
        }
    }

    /**
     * One layer's routing over the recorded passes.
     *
     * @param layer the block's path in the model
     * @param load items kept per expert, length E
     * @param dropped assignments that found their expert full
     * @param assigned assignments made (kept + dropped)
     * @param meanEntropy mean router entropy per item, nats
     */
    public record LayerSummary(String layer, long[] load, long dropped, long assigned,
                               double meanEntropy) {

        /** Fraction of this layer's kept items that went to expert {@code e}. */
        public double loadFraction(int e) {
            long kept = 0;
            for (long l : load) {
                kept += l;
            }
            return kept == 0 ? 0 : (double) load[e] / kept;
        }

        /** Dropped assignments / all assignments (0 when none were made). */
        public double dropRate() {
            return assigned == 0 ? 0 : (double) dropped / assigned;
        }
    }

    private static final class Accumulator {
        final long[] load;
        long dropped;
        long assigned;
        long items;
        double entropySum;

        Accumulator(int experts) {
            load = new long[experts];
        }

        void add(Routing routing) {
            int[] l = routing.expertLoad();
            for (int e = 0; e < Math.min(l.length, load.length); e++) {
                load[e] += l[e];
            }
            dropped += routing.dropped();
            assigned += routing.assigned();
            if (routing.probs() != null && routing.numItems() > 0) {
                entropySum += meanEntropy(routing.probs()) * routing.numItems();
                items += routing.numItems();
            }
        }
    }
}
