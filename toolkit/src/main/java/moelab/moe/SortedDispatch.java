package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.BiFunction;

/**
 * Sort-then-grouped dispatch (the idea behind MegaBlocks' dropless MoE): instead of copying items
 * into fixed-size expert buffers {@code (E, C, d)} (padding empty rows, dropping overflow), sort
 * the N assignments by expert, run each expert on its contiguous slice of the sorted rows, and
 * un-sort. Nothing is padded and nothing is dropped: compute is exactly {@code N} rows.
 *
 * <pre>
 *   sorted  = items[order]                     (N, d)
 *   out_e   = f_e(sorted[offsets[e] : offsets[e+1]])   for every expert with work
 *   out     = concat_e(out_e)[inverse]         (N, d')
 * </pre>
 *
 * <p>A GPU library runs the per-expert products as one grouped GEMM; DJL has none, so here the
 * experts run one after another on their slices (a loop over E, each a full-size matmul).
 */
public final class SortedDispatch {

    private SortedDispatch() {}

    /**
     * The stable counting sort of assignments by expert.
     *
     * @param expert expert index of each of the N assignments, each in {@code [0, numExperts)}
     * @param numExperts {@code E}
     * @return the order, the {@code E + 1} offsets and the inverse permutation
     */
    public static ExpertOrder order(int[] expert, int numExperts) {
        int[] offsets = new int[numExperts + 1];
        for (int i = 0; i < expert.length; i++) {
            int e = expert[i];
            if (e < 0 || e >= numExperts) {
                throw new IllegalArgumentException("assignment " + i + " has expert " + e
                        + ", outside 0.." + (numExperts - 1));
            }
            offsets[e + 1]++;
        }
        for (int e = 0; e < numExperts; e++) {
            offsets[e + 1] += offsets[e];
        }
        int[] next = java.util.Arrays.copyOf(offsets, numExperts);
        int[] order = new int[expert.length];
        int[] inverse = new int[expert.length];
        for (int i = 0; i < expert.length; i++) {
            int row = next[expert[i]]++;
            order[row] = i;
            inverse[i] = row;
        }
        return new ExpertOrder(order, offsets, inverse);
    }

    /**
     * Runs every expert on its slice of the sorted items and returns the outputs in the original
     * order. Differentiable in {@code items} and in whatever the expert functions use.
     *
     * @param items {@code (N, d)}, one row per assignment
     * @param order from {@link #order}
     * @param expert {@code (e, rows (n_e, d)) -> (n_e, d')}, called only for experts with work
     * @return {@code (N, d')}
     */
    public static NDArray apply(NDArray items, ExpertOrder order,
            BiFunction<Integer, NDArray, NDArray> expert) {
        NDManager manager = items.getManager();
        NDArray sorted = items.get(manager.create(order.order())); // (N, d)
        NDList outputs = new NDList();
        for (int e = 0; e < order.numExperts(); e++) {
            if (order.count(e) > 0) {
                NDArray slice = sorted.get(order.offsets()[e] + ":" + order.offsets()[e + 1]); // (n_e, d)
                outputs.add(expert.apply(e, slice));
            }
        }
        NDArray joined = outputs.size() == 1 ? outputs.head() : NDArrays.concat(outputs); // (N, d')
        return joined.get(manager.create(order.inverse()));
    }
}
