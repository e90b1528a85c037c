package moelab.routing;

/**
 * GShard top-2 routing (Lepikhin et al. 2020): each item goes to its best and second-best expert
 * by score, the two weights renormalised to sum to one, first choices served before second
 * choices.
 */
public final class GShardRouter extends TopKRouter {

    /** @param capacityFactor see {@link Capacity} (counted over both slots) */
    public GShardRouter(double capacityFactor) {
        super(2, 0, capacityFactor, true, Priority.BATCH_ORDER);
    }
}
