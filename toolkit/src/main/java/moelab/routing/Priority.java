package moelab.routing;

/**
 * The order in which items claim room in their experts' buffers when capacity is short; items
 * that come late are the ones dropped. Slots are always served slot-major: every item's first
 * choice before any item's second choice (GShard, V-MoE).
 */
public enum Priority {
    /** Items in batch order (Switch, GShard). */
    BATCH_ORDER,
    /**
     * Items sorted by their top gate value, highest first: Batch Priority Routing (V-MoE), the
     * importance-score routing of Sparse-MLP.
     */
    TOP_GATE
}
