package moelab.routing;

import ai.djl.ndarray.NDArray;
import moelab.nd.Scalars;

/**
 * Softmax top-k gating, {@code TopK(softmax(W_g x + ε))} with {@code ε ~ N(0, σ²)} at training
 * time only (Shazeer et al. 2017; V-MoE uses σ = 1/E). Each item is sent to its k highest-scoring
 * experts; each expert keeps at most {@link Capacity#of capacity} items, served in the order given
 * by {@link Priority}; the rest are dropped.
 *
 * <p>Every decision is a tensor operation on the logits' device: top-k and the priority order by
 * {@link StableOrder} (ties to the lower index), the seats by {@link Seats}. The host reads one
 * boolean per pass (the finiteness check of the logits, {@link Logits}) and, in dropless mode,
 * one scalar (the largest expert load, {@link Capacity#dropless}).
 *
 * <p>Combine weight of a kept slot: the router probability of its expert, or that probability
 * divided by the sum over the item's k choices when {@code normalize} is set (GShard).
 */
public class TopKRouter implements Router {

    private final int k;
    private final double noiseStd;
    private final double capacityFactor;
    private final boolean normalize;
    private final Priority priority;

    /**
     * @param k experts per item
     * @param noiseStd standard deviation of the training-time gate noise; 0 for none, a negative
     *     value for V-MoE's {@code 1/E}
     * @param capacityFactor see {@link Capacity}; {@code <= 0} for no dropping
     * @param normalize whether the k weights of an item are renormalised to sum to one
     * @param priority which items are served first when an expert is full
     */
    public TopKRouter(
            int k, double noiseStd, double capacityFactor, boolean normalize, Priority priority) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k routing needs k >= 1, got " + k);
        }
        Capacity.checkFactor(capacityFactor);
        GateNoise.sigma(noiseStd, 1);
        this.k = k;
        this.noiseStd = noiseStd;
        this.capacityFactor = capacityFactor;
        this.normalize = normalize;
        this.priority = priority;
    }

    /** Experts per item. */
    public int k() {
        return k;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        if (k > experts) {
            throw new IllegalArgumentException(
                    "top-" + k + " routing over only " + experts + " experts: use k <= E");
        }
        double sigma = GateNoise.sigma(noiseStd, experts);
        boolean noisy = training && sigma > 0;
        NDArray scores = noisy ? GateNoise.add(logits, sigma) : logits;
        NDArray probs = scores.softmax(1); // (T, E)
        NDArray clean = noisy ? logits.softmax(1) : probs;

        NDArray choice = StableOrder.top(probs, k); // (T, k)
        NDArray order = priority == Priority.TOP_GATE
                ? StableOrder.descending(probs.max(new int[] {1})) // (T): highest top gate first
                : null;
        NDArray gates = Slots.gather(probs, choice); // (T, k)
        if (normalize) {
            gates = gates.div(gates.sum(new int[] {1}, true));
        }
        NDArray load = noisy ? loadProbability(logits, scores, sigma) : null;
        return Slots.route(choice, order, gates, capacityFactor, probs, clean, logits, load);
    }

    /**
     * V-MoE load: probability that expert e would still be among an item's top k under a fresh
     * draw of its own noise, {@code 1 - Φ((η_k - (W_g x)_e) / σ)} with {@code η_k} the k-th
     * largest noisy logit. Shape {@code (T, E)}, differentiable in the clean logits.
     */
    private NDArray loadProbability(NDArray logits, NDArray noisy, double sigma) {
        NDArray threshold = noisy.stopGradient().sort(1).get(":, {}", noisy.getShape().get(1) - k)
                .expandDims(1);
        NDArray z = Scalars.dividedBy(threshold.sub(logits), sigma * Math.sqrt(2));
        return Scalars.times(z.erf().neg().add(1f), 0.5);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(k=" + k + ", noise=" + noiseStd + ", capacityFactor="
                + capacityFactor + ", normalize=" + normalize + ", priority=" + priority + ")";
    }
}
