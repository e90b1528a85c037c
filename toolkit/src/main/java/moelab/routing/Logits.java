package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks on the router logits every router makes before routing: shape {@code (T, E)} and only
 * finite values. The finiteness check costs one reduction read from the device per forward pass
 * (the sum of the logits, finite unless a logit is NaN or infinite or the sum overflows; only then
 * are the logits copied to find the culprit); it turns a NaN or infinite logit (which would give
 * NaN combine weights and send the item to expert 0) into an error naming the item.
 */
final class Logits {

    private Logits() {}

    /**
     * @param logits router logits, expected {@code (T, E)}
     * @return {@code E}
     * @throws IllegalArgumentException for another rank or a NaN or infinite value
     */
    static int check(NDArray logits) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("router logits must have shape (T, E) = (items, "
                    + "experts), got " + shape + ": flatten the leading axes first");
        }
        if (!Double.isFinite(logits.sum().toType(DataType.FLOAT64, false).getDouble())) {
            checkEach(logits); // the sum also overflows for large finite logits
        }
        return Math.toIntExact(shape.get(1));
    }

    private static void checkEach(NDArray logits) {
        long experts = logits.getShape().get(1);
        double[] v = logits.toType(DataType.FLOAT64, false).toDoubleArray();
        int i = 0;
        while (i < v.length && Double.isFinite(v[i])) {
            i++;
        }
        if (i == v.length) {
            return;
        }
        throw new IllegalArgumentException("router logits must be finite, got " + v[i]
                + " at item " + i / experts + ", expert " + i % experts + " (logits "
                + logits.getShape() + "): check the inputs and the learning rate");
    }
}
