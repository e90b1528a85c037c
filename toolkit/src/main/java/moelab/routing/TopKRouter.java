package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Comparator;
import java.util.stream.IntStream;
import moelab.nd.Scalars;

/**
 * Softmax top-k gating, {@code TopK(softmax(W_g x + ε))} with {@code ε ~ N(0, σ²)} at training
 * time only (Shazeer et al. 2017; V-MoE uses σ = 1/E). Each item is sent to its k highest-scoring
 * experts; each expert keeps at most {@link Capacity#of capacity} items, served in the order given
 * by {@link Priority}; the rest are dropped.
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
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        if (k > experts) {
            throw new IllegalArgumentException(
                    "top-" + k + " routing over only " + experts + " experts: use k <= E");
        }
        NDManager manager = logits.getManager();
        double sigma = noiseStd < 0 ? 1.0 / experts : noiseStd;
        boolean noisy = training && sigma > 0;
        NDArray scores =
                noisy ? logits.add(manager.randomNormal(0f, (float) sigma, logits.getShape(),
                        logits.getDataType())) : logits;
        NDArray probs = scores.softmax(1);

        int[][] choice = topK(Slots.floats(probs), items, experts, k);
        int[] order = serveOrder(probs, items);
        int capacity = Capacity.of(k, items, capacityFactor, experts);
        int[][] position = Capacity.assign(choice, order, experts, capacity);

        NDArray weights = Slots.gather(probs, choice);
        if (normalize) {
            weights = weights.div(weights.sum(new int[] {1}, true));
        }
        weights = weights.mul(Slots.keptMask(probs, position));
        NDArray load = noisy ? loadProbability(logits, scores, sigma) : null;
        return new Routing(experts, capacity, choice, position, weights, probs, logits, load);
    }

    private int[] serveOrder(NDArray probs, int items) {
        if (priority == Priority.BATCH_ORDER) {
            return IntStream.range(0, items).toArray();
        }
        float[] top = Slots.floats(probs.max(new int[] {1}));
        return IntStream.range(0, items)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer t) -> -top[t]))
                .mapToInt(Integer::intValue)
                .toArray();
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

    /** Indices of the k largest values of each row, largest first; ties go to the lower index. */
    static int[][] topK(float[] scores, int rows, int cols, int k) {
        int[][] out = new int[rows][];
        for (int t = 0; t < rows; t++) {
            int base = t * cols;
            out[t] = IntStream.range(0, cols)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer e) -> -scores[base + e]))
                    .limit(k)
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(k=" + k + ", noise=" + noiseStd + ", capacityFactor="
                + capacityFactor + ", normalize=" + normalize + ", priority=" + priority + ")";
    }
}
