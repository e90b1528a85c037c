package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import moelab.routing.Routing;

/**
 * Dispatch (GShard's "encode"): copies each kept item into its row of its expert's buffer by an
 * index gather. Rows left empty read a zero row. Memory is {@code E · C · d}, about
 * {@code k · T · capacityFactor · d}: no {@code (T, E, C)} one-hot tensor is built.
 */
public final class Dispatch {

    private Dispatch() {}

    /**
     * @param items {@code (T, d)} routed items
     * @param routing where each item goes
     * @return {@code (E, C, d)} expert buffers
     */
    public static NDArray apply(NDArray items, Routing routing) {
        int tokens = Math.toIntExact(items.getShape().get(0));
        long d = items.getShape().get(1);
        if (tokens != routing.numItems()) {
            throw new IllegalArgumentException("dispatch of " + items.getShape()
                    + " items with a routing of " + routing.numItems() + " items");
        }
        int experts = routing.numExperts();
        int capacity = routing.capacity();
        long[] source = new long[experts * capacity];
        Arrays.fill(source, tokens); // the zero row appended below
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < routing.slots(); s++) {
                if (routing.kept(t, s)) {
                    source[routing.expert(t, s) * capacity + routing.position(t, s)] = t;
                }
            }
        }
        NDArray padded = items.concat(items.getManager().zeros(new Shape(1, d), items.getDataType()));
        return padded.get(items.getManager().create(source)).reshape(experts, capacity, d);
    }
}
