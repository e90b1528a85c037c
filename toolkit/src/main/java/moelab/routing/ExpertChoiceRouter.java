package moelab.routing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Expert-choice routing (Zhou et al. 2022): the experts choose, not the items. Each expert takes
 * the {@code C = ceil(T · capacityFactor / E)} items with the highest router probability for it
 * (ties to the lower item index), so every expert is exactly full; an item may be picked by
 * several experts or by none. In training the probabilities may carry gate noise,
 * {@code softmax(W_g x + ε)} with {@code ε ~ N(0, σ²)} (V-MoE's expert-choice variant).
 *
 * <p>The routing has as many slots per item as the most experts any item was picked by (one
 * scalar read from the device, since the shape depends on it); an item's slots list its experts
 * in increasing order, unused slots have expert -1. Weight of a pick: the router probability
 * {@code softmax(W_g x + ε)_e}.
 *
 * <pre>
 *   picks[e, c]   = c-th best item of expert e                    (E, C)   top-C along T
 *   row[t, e]     = c where picks[e, c] = t, else −1               (T, E)   scatter
 *   slot[t, e]    = number of experts e' &lt; e that picked t        (T, E)   cumulative sum
 *   expert[t, s]  = e with slot[t, e] = s                          (T, S)   scatter
 * </pre>
 */
public final class ExpertChoiceRouter implements Router {

    private final double capacityFactor;
    private final double noiseStd;

    /** @param capacityFactor average experts per item; 1 gives {@code C = T/E} */
    public ExpertChoiceRouter(double capacityFactor) {
        this(capacityFactor, 0);
    }

    /**
     * @param capacityFactor average experts per item; 1 gives {@code C = T/E}
     * @param noiseStd standard deviation of the training-time gate noise; 0 for none, a negative
     *     value for V-MoE's {@code 1/E}
     */
    public ExpertChoiceRouter(double capacityFactor, double noiseStd) {
        Capacity.checkFactor(capacityFactor);
        if (capacityFactor <= 0) {
            throw new IllegalArgumentException(
                    "expert-choice routing needs capacityFactor > 0, got " + capacityFactor);
        }
        GateNoise.sigma(noiseStd, 1);
        this.capacityFactor = capacityFactor;
        this.noiseStd = noiseStd;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        double sigma = GateNoise.sigma(noiseStd, experts);
        boolean noisy = training && sigma > 0;
        NDArray probs = (noisy ? GateNoise.add(logits, sigma) : logits).softmax(1); // (T, E)
        NDArray clean = noisy ? logits.softmax(1) : probs;
        int capacity = Capacity.of(1, items, capacityFactor, experts);

        NDManager manager = logits.getManager();
        Device device = logits.getDevice();
        NDArray picks = StableOrder.top(probs.transpose(), capacity); // (E, C) items
        NDArray rowOf = manager.full(new Shape(experts, items), -1, DataType.INT64, device)
                .scatter(picks, arange(manager, capacity, device).expandDims(0).repeat(0, experts),
                        1)
                .transpose(); // (T, E): row of t in e's buffer, -1 when not picked
        NDArray picked = rowOf.gte(0).toType(DataType.INT64, false);
        int slots = (int) Math.max(1, picked.sum(new int[] {1}).max().getLong());
        NDArray slot = picked.cumSum(1).sub(1); // (T, E): slot of (t, e) when picked
        NDArray target = slot.add(1).mul(picked).sub(1).add(picked.neg().add(1).mul(slots + 1));
        NDArray ids = arange(manager, experts, device).expandDims(0).repeat(0, items); // (T, E)
        NDArray expert = bySlot(target, ids, slots);
        NDArray position = bySlot(target, rowOf, slots);
        NDArray weights = Slots.gather(probs, expert).mul(Slots.keptMask(probs, position));
        return Routing.of(experts, capacity, expert, position, weights, probs, clean, logits, null);
    }

    /**
     * {@code out[t, s] = values[t, e]} where {@code target[t, e] = s}; targets {@code >= S} (not
     * picked) land in a spare column that is cut off. Unfilled slots are -1.
     */
    private static NDArray bySlot(NDArray target, NDArray values, int slots) {
        long items = target.getShape().get(0);
        return target.getManager().full(new Shape(items, slots + 1), -1, DataType.INT64,
                target.getDevice()).scatter(target, values, 1)
                .get(":, :" + slots);
    }

    private static NDArray arange(NDManager manager, int n, Device device) {
        return manager.arange(0f, n, 1f, DataType.INT64, device);
    }

    @Override
    public String toString() {
        return "ExpertChoiceRouter(capacityFactor=" + capacityFactor + ", noise=" + noiseStd + ")";
    }
}
