package moelab.routing;

/**
 * Batch Priority Routing (Riquelme et al. 2021, V-MoE): noisy top-k gating whose items claim
 * expert capacity in order of their top gate value, so the items the router is least sure about
 * are the ones dropped. Sparse-MLP's importance-score routing is the same rule.
 */
public final class BatchPriorityRouter extends TopKRouter {

    /**
     * @param k experts per item
     * @param capacityFactor see {@link Capacity}
     * @param noiseStd training-time gate noise; negative for V-MoE's {@code 1/E}
     */
    public BatchPriorityRouter(int k, double capacityFactor, double noiseStd) {
        super(k, noiseStd, capacityFactor, false, Priority.TOP_GATE);
    }
}
