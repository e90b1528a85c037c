package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import moelab.routing.Routing;

/**
 * Combine (GShard's "decode"): gathers each item's expert outputs back from the buffers and sums
 * them weighted by the router, {@code y_t = Σ_s w_{t,s} · out[e_{t,s}, p_{t,s}]}. Dropped slots
 * read a zero row, so a fully dropped item gets {@code y_t = 0} and only the residual carries it.
 * Memory is {@code T · S · d}.
 */
public final class Combine {

    private Combine() {}

    /**
     * @param outputs {@code (E, C, d)} expert outputs
     * @param routing the routing used to dispatch
     * @return {@code (T, d)} combined outputs
     */
    public static NDArray apply(NDArray outputs, Routing routing) {
        int experts = routing.numExperts();
        int capacity = routing.capacity();
        long d = outputs.getShape().get(2);
        int tokens = routing.numItems();
        int slots = routing.slots();
        long[] source = new long[tokens * slots];
        Arrays.fill(source, (long) experts * capacity); // the zero row appended below
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < slots; s++) {
                if (routing.kept(t, s)) {
                    source[t * slots + s] =
                            (long) routing.expert(t, s) * capacity + routing.position(t, s);
                }
            }
        }
        NDArray flat = outputs.reshape((long) experts * capacity, d);
        flat = flat.concat(outputs.getManager().zeros(new Shape(1, d), outputs.getDataType()));
        NDArray gathered =
                flat.get(outputs.getManager().create(source)).reshape(tokens, slots, d);
        return gathered.mul(routing.weights().expandDims(2)).sum(new int[] {1});
    }
}
