package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Stable descending order along the last axis, on the values' device: largest first, ties to the
 * lower index. PyTorch's sort and top-k do not promise an order among ties (and on CPU a
 * descending argsort really does reverse them), so routers that must be reproducible sort twice:
 *
 * <pre>
 *   perm   = argsort(v, descending)                 any order among equal values
 *   group  = cumsum(v[perm] changes)                 equal values share a group, groups ascending
 *   order  = sort(group · n + perm) − group · n      within a group: lower index first
 * </pre>
 *
 * The keys {@code group · n + perm} are distinct, so the second sort has no ties to break. For
 * the few largest of each row (top-k routing) {@link #top} uses repeated argmax instead, which
 * PyTorch documents to return the first of equal maxima.
 */
final class StableOrder {

    private StableOrder() {}

    /**
     * @param values {@code (..., n)} finite values
     * @return {@code (..., n)} int64 indices of each row, largest value first, ties to the lower
     *     index
     */
    static NDArray descending(NDArray values) {
        Shape shape = values.getShape();
        long n = shape.get(shape.dimension() - 1);
        NDArray rows = values.stopGradient().reshape(-1, n); // (R, n)
        NDArray perm = rows.argSort(1, false); // (R, n)
        NDArray sorted = rows.gather(perm, 1);
        NDArray changes = sorted.get(":, 1:").neq(sorted.get(":, :-1"))
                .toType(DataType.INT64, false);
        NDArray first = changes.getManager().zeros(new Shape(rows.getShape().get(0), 1), DataType.INT64,
                changes.getDevice());
        NDArray group = NDArrays.concat(new NDList(first, changes), 1).cumSum(1).mul(n); // (R, n)
        return group.add(perm).sort(1).sub(group).reshape(shape);
    }

    /** Up to this many, {@link #top} picks by repeated argmax instead of sorting. */
    private static final int ARGMAX_ROUNDS = 8;

    /**
     * The k largest of each row. For small k, k rounds of argmax (PyTorch returns the first of
     * equal maxima), each masking the pick with −∞: {@code k · n} work per row instead of two
     * sorts; otherwise the first k of {@link #descending}.
     *
     * @param values {@code (..., n)} finite values
     * @param k how many to keep, {@code 1 <= k <= n}
     * @return {@code (..., k)} int64 indices of the k largest values of each row, largest first,
     *     ties to the lower index
     */
    static NDArray top(NDArray values, int k) {
        if (k > ARGMAX_ROUNDS) {
            return descending(values).get("..., :" + k);
        }
        Shape shape = values.getShape();
        int last = shape.dimension() - 1;
        NDArray rest = values.stopGradient();
        NDList picks = new NDList(rest.argMax(last).expandDims(last)); // (..., 1)
        if (k > 1) {
            NDArray ids = rest.getManager().arange(0f, shape.get(last), 1f, DataType.INT64,
                    rest.getDevice());
            NDArray minusInf = rest.getManager().full(shape, Float.NEGATIVE_INFINITY,
                    rest.getDataType(), rest.getDevice());
            for (int i = 1; i < k; i++) {
                rest = NDArrays.where(picks.get(i - 1).eq(ids), minusInf, rest);
                picks.add(rest.argMax(last).expandDims(last));
            }
        }
        return k == 1 ? picks.head() : NDArrays.concat(picks, last);
    }
}
