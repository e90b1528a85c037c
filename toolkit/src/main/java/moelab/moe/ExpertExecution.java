package moelab.moe;

/**
 * How a {@link MoeLayer} runs its experts on the routed items.
 *
 * <ul>
 *   <li>{@link #PADDED} (the default): {@link Dispatch} copies the items into expert buffers
 *       {@code (E, C, d)}, all {@code E · C} rows go through one batched matmul per layer,
 *       {@link Combine} gathers them back. Every buffer can be printed and checked by hand; the
 *       experts compute {@code E · C} rows, {@code capacityFactor ×} the dense FLOPs (more when
 *       the capacity is the whole batch, as without dropping).
 *   <li>{@link #SORTED}: the kept assignments are sorted by expert and each expert multiplies
 *       only its own contiguous slice ({@link SortedExperts}): exactly as many rows as there are
 *       kept assignments, no padding. Same outputs and gradients as {@link #PADDED}.
 * </ul>
 */
public enum ExpertExecution {
    /** Capacity-padded buffers {@code (E, C, d)} and one batched matmul: the inspectable path. */
    PADDED,
    /** Assignments sorted by expert, each expert run on its own slice: only rows that hold tokens. */
    SORTED
}
