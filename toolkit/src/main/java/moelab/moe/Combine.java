package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import moelab.routing.Routing;

/**
 * Combine (GShard's "decode"): gathers each item's expert outputs back from the buffers and sums
 * them weighted by the router, {@code y_t = Σ_s w_{t,s} · out[e_{t,s}, p_{t,s}]}. Dropped slots
 * read a zero row, so a fully dropped item gets {@code y_t = 0} and only the residual carries it.
 * Memory is {@code T · S · d}. The gather index is computed on the device ({@link #bufferRow}).
 */
public final class Combine {

    private Combine() {}

    /**
     * @param outputs {@code (E, C, d)} expert outputs
     * @param routing the routing used to dispatch
     * @return {@code (T, d)} combined outputs
     */
    public static NDArray apply(NDArray outputs, Routing routing) {
        long rows = (long) routing.numExperts() * routing.capacity();
        long d = outputs.getShape().get(2);
        NDArray flat = outputs.reshape(rows, d);
        flat = flat.concat(outputs.getManager().zeros(new Shape(1, d), outputs.getDataType(),
                outputs.getDevice()));
        NDArray row = bufferRow(routing); // (T, S)
        NDArray gathered = flat.get(row.reshape(-1))
                .reshape(routing.numItems(), routing.slots(), d); // (T, S, d)
        return gathered.mul(routing.weights().expandDims(2)).sum(new int[] {1});
    }

    /**
     * {@code (T, S)} int64 row of each slot in the flattened {@code (E·C, d)} buffers,
     * {@code e · C + p} where kept and {@code E · C} (one past the end) where dropped or unused.
     */
    static NDArray bufferRow(Routing routing) {
        long rows = (long) routing.numExperts() * routing.capacity();
        NDArray position = routing.positionIndex();
        NDArray kept = position.gte(0).toType(DataType.INT64, false);
        NDArray row = routing.expertIndex().mul(routing.capacity()).add(position).sub(rows);
        return row.mul(kept).add(rows);
    }
}
