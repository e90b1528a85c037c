package moelab.interop;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of the safetensors format: the {@code "dtype"} code written in the header
 * ({@code "F32"}, {@code "I64"}, ...), the bytes one element takes, and the DJL {@link DataType}
 * it is read into.
 */
public enum SafetensorsType {
    F64(8, DataType.FLOAT64),
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    BF16(2, DataType.BFLOAT16),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    I16(2, DataType.INT16),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    private final int bytes;
    private final DataType dataType;

    SafetensorsType(int bytes, DataType dataType) {
        this.bytes = bytes;
        this.dataType = dataType;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The DJL type of an array holding these elements. */
    public DataType dataType() {
        return dataType;
    }

    /**
     * The type of a header's {@code "dtype"} code.
     *
     * @throws IllegalArgumentException naming the code and the known ones when it is not one
     */
    public static SafetensorsType ofCode(String code) {
        for (SafetensorsType type : values()) {
            if (type.name().equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype '" + code + "'; known: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /**
     * The type that holds a DJL array of {@code dataType}.
     *
     * @throws IllegalArgumentException when safetensors has no such type
     */
    public static SafetensorsType of(DataType dataType) {
        for (SafetensorsType type : values()) {
            if (type.dataType == dataType) {
                return type;
            }
        }
        throw new IllegalArgumentException("safetensors has no dtype for DJL " + dataType);
    }
}
