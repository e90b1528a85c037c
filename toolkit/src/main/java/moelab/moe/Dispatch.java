package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import moelab.routing.Routing;

/**
 * Dispatch (GShard's "encode"): copies each kept item into its row of its expert's buffer by an
 * index gather. Rows left empty read a zero row. Memory is {@code E · C · d}, about
 * {@code k · T · capacityFactor · d}: no {@code (T, E, C)} one-hot tensor is built.
 *
 * <p>The gather index is built on the device from the routing's {@link Routing#expertIndex()} and
 * {@link Routing#positionIndex()}: every kept slot writes its item number to row
 * {@code e · C + p} (a scatter; dropped and unused slots write to a spare row that is cut off);
 * rows nobody wrote point at the zero row {@code T}.
 */
public final class Dispatch {

    private Dispatch() {}

    /**
     * @param items {@code (T, d)} routed items
     * @param routing where each item goes
     * @return {@code (E, C, d)} expert buffers
     */
    public static NDArray apply(NDArray items, Routing routing) {
        long tokens = items.getShape().get(0);
        long d = items.getShape().get(1);
        if (tokens != routing.numItems()) {
            throw new IllegalArgumentException("dispatch of " + items.getShape()
                    + " items with a routing of " + routing.numItems() + " items");
        }
        long rows = (long) routing.numExperts() * routing.capacity();
        NDArray row = Combine.bufferRow(routing); // (T, S): e·C + p, or E·C when not kept
        NDManager manager = items.getManager();
        NDArray item = manager.arange(0f, tokens, 1f, DataType.INT64, items.getDevice())
                .expandDims(1).broadcast(row.getShape()); // (T, S): t
        NDArray source = manager
                .full(new Shape(rows + 1), tokens, DataType.INT64, items.getDevice())
                .scatter(row.reshape(-1), item.reshape(-1), 0)
                .get("0:" + rows); // (E·C): item of each buffer row, T when empty
        NDArray padded = items.concat(manager.zeros(new Shape(1, d), items.getDataType(),
                items.getDevice()));
        return padded.get(source).reshape(routing.numExperts(), routing.capacity(), d);
    }
}
