package moelab.inspect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reads an NDArray of any float type into a Java {@code float[]} for display. */
final class Arrays32 {

    private Arrays32() {}

    static float[] of(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
