package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import moelab.experts.Experts;
import moelab.routing.Routing;

/**
 * The experts run on the rows that hold tokens only (the sorted path of {@link MoeLayer}, as in
 * MegaBlocks' dropless MoE): the {@code N = T · S} assignments are sorted by expert, each expert
 * multiplies its own contiguous slice, and the outputs are un-sorted and weighted by the router.
 *
 * <pre>
 *   key_i    = expert_i · N + i   (E · N + i for a dropped or unused slot)      (N)
 *   order    = argsort(key)                                                     (N)
 *   sorted   = x[token(order[:K])]       K = kept assignments                   (K, d)
 *   out      = concat_e f_e(sorted[offset_e : offset_e + n_e])                  (K, d)
 *   y_t      = Σ_s w_{t,s} · [out; 0][min(rank(t, s), K)]                       (T, d)
 * </pre>
 *
 * where {@code rank = argsort(order)} is each assignment's row in the sorted order (dropped ones
 * rank last and read the zero row). The sort keys are distinct, so the order does not depend on
 * the stability of the sort. Everything is an NDArray operation on the items' device except one
 * read of the per-expert counts ({@code ≤ E + 1} numbers), which the slice lengths need. The
 * experts compute exactly {@code K ≤ T · k} rows; memory grows with {@code T · S · d}, never with
 * {@code E · C · d}. Outputs and gradients equal those of {@link Dispatch} → {@link Experts} →
 * {@link Combine} (up to the order of floating-point sums inside the matmuls).
 */
public final class SortedExperts {

    private SortedExperts() {}

    /**
     * @param items {@code (T, d)} routed items
     * @param routing where each item goes (its dropped and unused slots are skipped)
     * @param experts the expert MLPs
     * @param store the parameter store
     * @param training whether this is a training pass
     * @return {@code (T, d)}: {@code Σ_s w_{t,s} f_{e(t,s)}(x_t)} over the kept slots
     */
    public static NDArray apply(NDArray items, Routing routing, Experts experts,
            ParameterStore store, boolean training) {
        int tokens = Math.toIntExact(items.getShape().get(0));
        long d = items.getShape().get(1);
        if (tokens != routing.numItems()) {
            throw new IllegalArgumentException("sorted experts got " + items.getShape()
                    + " items with a routing of " + routing.numItems() + " items");
        }
        NDManager manager = items.getManager();
        int slots = routing.slots();
        long n = (long) tokens * slots;
        NDArray key = sortKey(routing); // (N): expert of each kept assignment, else E
        NDList groups = key.unique(null, true, false, true); // experts present (sorted), counts
        long[] expertIds = groups.get(0).toLongArray();
        long[] counts = groups.get(groups.size() - 1).toLongArray(); // (values, [inverse], counts)
        int present = expertIds[expertIds.length - 1] == routing.numExperts()
                ? expertIds.length - 1 : expertIds.length; // the last group may be "dropped"
        if (present == 0) { // every slot dropped or unused: only the residual carries the items
            return manager.zeros(new Shape(tokens, d), items.getDataType());
        }
        if (present == 1 && counts[0] == n && slots == 1) {
            // one expert holds every item, in item order: the sort is the identity
            NDArray out = experts.forwardEach(store, new NDList(items), new long[] {expertIds[0]},
                    training).head(); // (T, d)
            return out.mul(routing.weights()); // (T, d) · (T, 1)
        }
        NDArray order = key.mul(n).add(manager.arange(0, n, 1, DataType.INT64)).argSort(); // (N)
        long[] ends = new long[present]; // end of each present expert's slice in the sorted rows
        for (int g = 0; g < present; g++) {
            ends[g] = (g == 0 ? 0 : ends[g - 1]) + counts[g];
        }
        long kept = ends[present - 1];
        NDArray tokenOf = manager.arange(0, tokens, 1, DataType.INT64).reshape(tokens, 1)
                .repeat(1, slots).reshape(-1); // (N): the item of each assignment
        NDArray sorted = items.get(tokenOf.get(order.get("0:" + kept))); // (K, d)
        NDList outputs = experts.forwardEach(store,
                sorted.split(Arrays.copyOf(ends, present - 1), 0),
                Arrays.copyOf(expertIds, present), training);
        NDArray joined = outputs.size() == 1 ? outputs.head() : NDArrays.concat(outputs); // (K, d)
        joined = joined.concat(manager.zeros(new Shape(1, d), items.getDataType())); // (K + 1, d)
        NDArray rank = order.argSort().minimum(kept); // (N): sorted row, K when not kept
        NDArray gathered = joined.get(rank).reshape(tokens, slots, d); // (T, S, d)
        return gathered.mul(routing.weights().expandDims(2)).sum(new int[] {1}); // (T, d)
    }

    /**
     * {@code (N)} int64: the expert of each kept assignment (item-major, {@code i = t · S + s}),
     * {@code E} for a dropped or unused slot.
     */
    static NDArray sortKey(Routing routing) {
        NDArray expert = routing.expertIndex(); // (T, S) int64, -1 unused
        NDArray kept = routing.positionIndex().gte(0); // (T, S)
        NDArray none = expert.zerosLike().add(routing.numExperts());
        return NDArrays.where(kept, expert, none).reshape(-1);
    }
}
