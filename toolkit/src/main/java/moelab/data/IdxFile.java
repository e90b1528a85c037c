package moelab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte tensor in the IDX format of MNIST and Fashion-MNIST, raw or gzipped.
 *
 * <p>Layout: a 4-byte magic number {@code 0x00 0x00 0x08 ndims} (0x08 = unsigned byte), then
 * {@code ndims} big-endian int32 dimension sizes, then the values in row-major order. Label files
 * have magic {@code 0x00000801} (shape (N)), image files {@code 0x00000803} (shape (N, rows,
 * cols)). A gzipped file is recognised by its first two bytes {@code 1f 8b}.
 */
public final class IdxFile {

    private static final int UNSIGNED_BYTE = 0x08;

    private final int[] dims;
    private final byte[] values;

    private IdxFile(int[] dims, byte[] values) {
        this.dims = dims;
        this.values = values;
    }

    /**
     * Reads the first {@code limit} items (slices along the first dimension) of an IDX file.
     *
     * @param file the file, {@code .gz} or raw
     * @param expectedDims the number of dimensions the caller expects (1 for labels, 3 for images)
     * @param limit the largest number of items to read; {@code Long.MAX_VALUE} for all
     * @param dataset display name for error messages
     * @param howToFetch the fetch command for error messages
     * @return the parsed tensor; {@link #dims()}[0] is the number of items actually read
     * @throws DatasetException when the file is missing, not IDX, or truncated
     */
    public static IdxFile read(
            Path file, int expectedDims, long limit, String dataset, String howToFetch) {
        if (!Files.isRegularFile(file)) {
            throw DatasetException.missing(
                    dataset, java.util.List.of(file), "the IDX file " + file.getFileName(), howToFetch);
        }
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw DatasetException.corrupt(
                        dataset, file, "the file is empty or shorter than an IDX header", howToFetch, e);
            }
            if (magic != expectedMagic) {
                throw DatasetException.corrupt(
                        dataset,
                        file,
                        String.format(
                                "expected IDX magic number 0x%08X (unsigned bytes, %d dimensions)"
                                        + " but found 0x%08X",
                                expectedMagic, expectedDims, magic),
                        howToFetch,
                        null);
            }
            int[] dims = new int[expectedDims];
            for (int i = 0; i < expectedDims; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw DatasetException.corrupt(
                            dataset, file, "negative dimension size " + dims[i], howToFetch, null);
                }
            }
            long itemSize = 1;
            for (int i = 1; i < dims.length; i++) {
                itemSize *= dims[i];
            }
            int items = (int) Math.min(dims[0], limit);
            long length = items * itemSize;
            if (length > Integer.MAX_VALUE - 8) {
                throw DatasetException.corrupt(
                        dataset, file, "too large to hold in memory: " + length + " bytes", howToFetch, null);
            }
            byte[] values = new byte[(int) length];
            int read = in.readNBytes(values, 0, values.length);
            if (read != values.length) {
                throw DatasetException.corrupt(
                        dataset,
                        file,
                        "the header promises shape "
                                + Arrays.toString(dims)
                                + " ("
                                + dims[0] * itemSize
                                + " bytes of values) but the file ends after "
                                + read
                                + " bytes of values",
                        howToFetch,
                        null);
            }
            dims[0] = items;
            return new IdxFile(dims, values);
        } catch (IOException e) {
            throw DatasetException.corrupt(dataset, file, "cannot be read: " + e.getMessage(), howToFetch, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /**
     * Returns the dimension sizes; the first is the number of items read.
     *
     * @return a copy of the shape, e.g. {@code [60000, 28, 28]}
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Returns the values in row-major order, as unsigned bytes stored in Java {@code byte}s.
     *
     * @return the backing array (not copied; do not modify)
     */
    public byte[] values() {
        return values;
    }
}
