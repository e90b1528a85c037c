package moelab.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFormatTest {

    @TempDir Path dir;

    /** One F32 tensor "w" = [1, -2]: the bytes worked out by hand from the format. */
    private static SafetensorsFile tiny() {
        byte[] data = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}; // 1.0f, -2.0f little-endian
        return new SafetensorsFile(
                List.of(new StoredTensor("w", SafetensorsType.F32, new long[] {2}, data)), Map.of());
    }

    @Test
    void tinyFileHasTheHandWrittenBytes() throws IOException {
        Path file = tiny().write(dir.resolve("w.safetensors"));
        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes
        byte[] expected = ByteBuffer.allocate(8 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(56) // header padded with 2 spaces to a multiple of 8
                .put((json + "  ").getBytes(StandardCharsets.UTF_8))
                .put(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0})
                .array();
        assertArrayEquals(expected, bytes, () -> "file bytes " + Arrays.toString(bytes)
                + "\nexpected   " + Arrays.toString(expected));
    }

    @Test
    void roundTripKeepsTensorsOrderAndMetadata() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.arange(6f).reshape(2, 3);
            NDArray b = manager.create(new long[] {-1, 7});
            NDArray c = manager.create(new boolean[] {true, false, true});
            SafetensorsFile file = new SafetensorsFile(List.of(StoredTensor.of("z.a", a),
                    StoredTensor.of("b", b), StoredTensor.of("c", c)), Map.of("step", "42"));
            SafetensorsFile back = SafetensorsFile.read(file.write(dir.resolve("m.safetensors")));
            assertEquals(file, back);
            assertEquals(List.of("z.a", "b", "c"), List.copyOf(back.byName().keySet()));
            assertEquals(a, back.get("z.a").toArray(manager));
            assertEquals(DataType.INT64, back.get("b").toArray(manager).getDataType());
            assertEquals(c, back.get("c").toArray(manager));
        }
    }

    @Test
    void djlsOwnDecoderReadsTheFile() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 4));
            Path file = new SafetensorsFile(List.of(StoredTensor.of("a", a)),
                    Map.of("format", "pt")).write(dir.resolve("a.safetensors"));
            try (InputStream in = Files.newInputStream(file)) {
                NDList decoded = NDList.decode(manager, in);
                assertEquals(1, decoded.size());
                assertEquals("a", decoded.get(0).getName());
                assertEquals(a, decoded.get(0));
            }
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("w.safetensors");
        Files.writeString(target, "old");
        tiny().write(target);
        assertEquals(tiny(), SafetensorsFile.read(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                    "an exported file is readable by others, like any other output");
        }
    }

    private Path withBytes(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("bad.safetensors"), bytes);
    }

    private byte[] tinyBytes() throws IOException {
        return Files.readAllBytes(tiny().write(dir.resolve("good.safetensors")));
    }

    /** A file with this header text and data bytes. */
    private Path withHeader(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return withBytes(ByteBuffer.allocate(8 + header.length + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array());
    }

    private static void assertRefused(Path file, String... phrases) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.read(file));
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase),
                    () -> "message should say '" + phrase + "': " + e.getMessage());
        }
    }

    @Test
    void truncatedDataIsRefused() throws IOException {
        byte[] good = tinyBytes();
        assertRefused(withBytes(Arrays.copyOf(good, good.length - 1)),
                "tensor 'w'", "ends at data byte 8", "only 7 bytes", "truncated");
    }

    @Test
    void fileShorterThanTheLengthFieldIsRefused() throws IOException {
        assertRefused(withBytes(new byte[] {1, 2, 3}), "3 bytes", "shorter than the 8-byte");
    }

    @Test
    void headerLengthBeyondTheFileIsRefused() throws IOException {
        byte[] bad = tinyBytes();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertRefused(withBytes(bad), "header length 1000 goes beyond the file", "at most 64");
    }

    @Test
    void unknownDtypeIsRefused() throws IOException {
        assertRefused(withHeader("{\"w\":{\"dtype\":\"F99\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "unknown safetensors dtype 'F99'", "F32");
    }

    @Test
    void offsetsThatDoNotFitTheShapeAreRefused() throws IOException {
        assertRefused(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "hold 8 bytes", "F32 [3] needs 12");
    }

    @Test
    void gapsAndTrailingBytesAreRefused() throws IOException {
        assertRefused(withHeader("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3),
                "tensor 'w'", "starts at data byte 1", "ends at 0");
        assertRefused(withHeader("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 5),
                "3 bytes after the last tensor");
    }

    @Test
    void headerThatIsNotJsonIsRefused() throws IOException {
        assertRefused(withHeader("PK\u0003\u0004 not json", 0), "header is not a JSON object", "PK");
        assertRefused(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "shape must hold non-negative integers");
        assertRefused(withHeader("{\"__metadata__\":{\"n\":3}}", 0), "__metadata__.n must be a string");
    }

    @Test
    void duplicateOrReservedNamesAreRefused() {
        StoredTensor t = tiny().tensors().get(0);
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsFile(List.of(t, t), Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StoredTensor("w", SafetensorsType.F32, new long[] {3}, new byte[8]));
        assertTrue(e.getMessage().contains("needs 12 bytes, got 8"), e.getMessage());
    }
}
