package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

/**
 * GShard top-2 gating with <em>random routing</em> of the second expert (Lepikhin et al. 2020,
 * Algorithm 1). With {@code g = softmax(W_g x)}, best expert {@code e1} and second-best
 * {@code e2} (ties to the lower index), the two gates are normalised,
 * {@code g1' = g1 / (g1 + g2)}, {@code g2' = g2 / (g1 + g2)}, and in training the item is sent to
 * {@code e2} only when {@code 2 · g2' > u} for a uniform draw {@code u ∈ [0, 1)}: with probability
 * {@code min(1, 2 g2')}. An item whose second gate is small mostly uses one expert, which saves
 * capacity.
 *
 * <p>Exactly one {@code u} is drawn per item, in item order, on every training pass. A skipped
 * second choice is an unused slot (expert -1) and takes no seat (as in the Mesh TensorFlow code,
 * where the random mask is applied before positions are counted). Seats go slot-major in batch
 * order with capacity {@code ceil(2 T cf / E)}; combine weights are {@code g1'} and {@code g2'}
 * (not renormalised when the second is skipped). At evaluation (a design choice) the second
 * expert is always used, so inference is deterministic.
 *
 * <p>Shapes: logits {@code (T, E)} in, a routing with 2 slots per item out.
 */
public final class GShardRandomRouter implements Router {

    private final double capacityFactor;
    private final DoubleSupplier uniform;

    /**
     * @param capacityFactor see {@link Capacity} (counted over both slots)
     * @param uniform the draws {@code u}, each in {@code [0, 1)}
     */
    public GShardRandomRouter(double capacityFactor, DoubleSupplier uniform) {
        this.capacityFactor = capacityFactor;
        this.uniform = uniform;
    }

    /** Draws {@code u} from a {@link Random} with the given seed. */
    public GShardRandomRouter(double capacityFactor, long seed) {
        this(capacityFactor, new Random(seed)::nextDouble);
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        if (experts < 2) {
            throw new IllegalArgumentException("top-2 routing needs E >= 2, got " + experts);
        }
        NDArray probs = logits.softmax(1); // (T, E)
        int[][] best = TopKRouter.topK(Slots.floats(probs), items, experts, 2); // (T, 2)
        NDArray pair = Slots.gather(probs, best); // (T, 2): g1, g2
        NDArray normalised = pair.div(pair.sum(new int[] {1}, true)); // g1', g2'
        float[] g = Slots.floats(normalised);
        int[][] choice = new int[items][2];
        for (int t = 0; t < items; t++) {
            choice[t][0] = best[t][0];
            boolean second = true;
            if (training) {
                double u = uniform.getAsDouble();
                second = 2.0 * g[2 * t + 1] > u;
            }
            choice[t][1] = second ? best[t][1] : -1;
        }
        int capacity = Capacity.of(2, items, capacityFactor, experts);
        int[][] position = Capacity.assign(choice, IntStream.range(0, items).toArray(), experts,
                capacity);
        NDArray weights = normalised.mul(Slots.keptMask(probs, position));
        return new Routing(experts, capacity, choice, position, weights, probs, logits, null);
    }

    @Override
    public String toString() {
        return "GShardRandomRouter(capacityFactor=" + capacityFactor + ")";
    }
}
