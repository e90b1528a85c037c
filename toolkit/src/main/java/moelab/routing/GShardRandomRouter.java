package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import java.util.function.DoubleSupplier;
import moelab.nd.Scalars;

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
        Capacity.checkFactor(capacityFactor);
        this.capacityFactor = capacityFactor;
        this.uniform = uniform;
    }

    /** Draws {@code u} from a {@link Random} with the given seed. */
    public GShardRandomRouter(double capacityFactor, long seed) {
        this(capacityFactor, new Random(seed)::nextDouble);
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        if (experts < 2) {
            throw new IllegalArgumentException("top-2 routing needs E >= 2, got " + experts);
        }
        NDArray probs = logits.softmax(1); // (T, E)
        NDArray best = StableOrder.top(probs, 2); // (T, 2)
        NDArray pair = Slots.gather(probs, best); // (T, 2): g1, g2
        NDArray normalised = pair.div(pair.sum(new int[] {1}, true)); // g1', g2'
        NDArray choice = best;
        if (training) {
            NDArray u = logits.getManager().create(draws(items)).toDevice(logits.getDevice(), false);
            NDArray keep = Scalars.times(normalised.get(":, 1").stopGradient(), 2)
                    .toType(DataType.FLOAT64, false).gt(u).toType(DataType.INT64, false); // (T)
            NDArray second = best.get(":, 1").add(1).mul(keep).sub(1); // e2 or -1
            choice = NDArrays.stack(new NDList(best.get(":, 0"), second), 1);
        }
        return Slots.route(choice, null, normalised, capacityFactor, probs, probs, logits, null);
    }

    /** One uniform draw per item, in item order. */
    private double[] draws(int items) {
        double[] u = new double[items];
        for (int t = 0; t < items; t++) {
            u[t] = uniform.getAsDouble();
        }
        return u;
    }

    @Override
    public String toString() {
        return "GShardRandomRouter(capacityFactor=" + capacityFactor + ")";
    }
}
