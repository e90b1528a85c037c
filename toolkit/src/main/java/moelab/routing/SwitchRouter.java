package moelab.routing;

/**
 * Switch Transformer routing (Fedus et al. 2021): each item goes to its single best expert,
 * weighted by that expert's router probability, items served in batch order.
 */
public final class SwitchRouter extends TopKRouter {

    /** @param capacityFactor see {@link Capacity}; Switch uses 1.0–1.25 */
    public SwitchRouter(double capacityFactor) {
        super(1, 0, capacityFactor, false, Priority.BATCH_ORDER);
    }
}
