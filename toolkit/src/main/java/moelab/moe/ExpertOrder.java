package moelab.moe;

import java.util.Arrays;

/**
 * The plan of a sort-then-grouped dispatch (MegaBlocks style): the assignments (token, slot)
 * reordered so that each expert's assignments sit in one contiguous block, as three int arrays.
 *
 * <ul>
 *   <li>{@code order} (length N): {@code sorted[i] = items[order[i]]}; assignments of expert 0
 *       first, then expert 1, ...; within an expert in their original order (a stable sort);
 *   <li>{@code offsets} (length E + 1): expert e owns sorted rows {@code [offsets[e], offsets[e+1])};
 *       {@code offsets[0] = 0}, {@code offsets[E] = N}; an expert with no assignment has an empty
 *       range;
 *   <li>{@code inverse} (length N): {@code inverse[order[i]] = i}, so {@code sorted[inverse[t]]} is
 *       item t again (un-sorting is one more gather).
 * </ul>
 *
 * @param order the permutation that sorts the assignments by expert
 * @param offsets each expert's {@code [start, end)} in the sorted order
 * @param inverse the permutation that undoes {@code order}
 */
public record ExpertOrder(int[] order, int[] offsets, int[] inverse) {

    /** Number of experts {@code E}. */
    public int numExperts() {
        return offsets.length - 1;
    }

    /** Assignments of expert {@code e}: {@code offsets[e+1] - offsets[e]}. */
    public int count(int e) {
        return offsets[e + 1] - offsets[e];
    }

    @Override
    public String toString() {
        return "ExpertOrder(order=" + Arrays.toString(order) + ", offsets=" + Arrays.toString(offsets)
                + ", inverse=" + Arrays.toString(inverse) + ")";
    }
}
