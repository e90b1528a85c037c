package moelab.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its name, element type, shape and raw little-endian bytes in
 * row-major (C) order, the layout PyTorch's {@code tensor.contiguous()} has.
 *
 * @param name the tensor's key in the header, e.g. {@code blocks.2.moe_c.gate.weight}
 * @param type its element type
 * @param shape its dimensions ({@code []} for a scalar)
 * @param data {@code product(shape) · type.bytes()} bytes, little-endian
 */
public record StoredTensor(String name, SafetensorsType type, long[] shape, byte[] data) {

    /** Checks that the bytes fill the shape exactly. */
    public StoredTensor {
        shape = shape.clone();
        long expected = Math.multiplyExact(elementCount(shape), type.bytes());
        if (data.length != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + " "
                    + Arrays.toString(shape) + " needs " + expected + " bytes, got " + data.length);
        }
    }

    /** The tensor holding a copy of {@code array}'s values (any device, any supported type). */
    public static StoredTensor of(String name, NDArray array) {
        SafetensorsType type = SafetensorsType.of(array.getDataType());
        ByteBuffer source = array.toByteBuffer(); // native order
        byte[] bytes = new byte[source.remaining()];
        source.get(bytes);
        if (source.order() != ByteOrder.LITTLE_ENDIAN) {
            reverseEachElement(bytes, type.bytes());
        }
        return new StoredTensor(name, type, array.getShape().getShape(), bytes);
    }

    /** The values as a DJL array of {@link #type()}'s data type, made by {@code manager}. */
    public NDArray toArray(NDManager manager) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        NDArray array = manager.create(buffer, new Shape(shape), type.dataType());
        array.setName(name);
        return array;
    }

    /** The dimensions as a DJL shape. */
    public Shape djlShape() {
        return new Shape(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements, the product of the shape (1 for a scalar). */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape "
                        + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    private static void reverseEachElement(byte[] bytes, int width) {
        for (int start = 0; start < bytes.length; start += width) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte b = bytes[start + i];
                bytes[start + i] = bytes[start + j];
                bytes[start + j] = b;
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredTensor t && name.equals(t.name) && type == t.type
                && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
