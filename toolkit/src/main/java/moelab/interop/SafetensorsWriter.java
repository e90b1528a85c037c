package moelab.interop;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import moelab.files.RunFiles;

/**
 * Writes a {@link SafetensorsFile}: the header lists {@code __metadata__} first (when there is
 * any), then the tensors in order with consecutive {@code data_offsets}; it is padded with spaces
 * to a multiple of 8 bytes, as the reference implementation does, so every tensor starts 8-byte
 * aligned in the file.
 *
 * <p>Writing is atomic ({@link RunFiles#writeAtomically}): a crash leaves the old file or the new
 * one, never a torn one; the file gets the mode of every file a run writes, {@value
 * RunFiles#MODE}.
 */
public final class SafetensorsWriter {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private SafetensorsWriter() {}

    /**
     * The header bytes of {@code file}, spaces included, without the 8-byte length before them.
     */
    public static byte[] header(SafetensorsFile file) {
        JsonObject header = new JsonObject();
        if (!file.metadata().isEmpty()) {
            JsonObject metadata = new JsonObject();
            for (Map.Entry<String, String> e : file.metadata().entrySet()) {
                metadata.addProperty(e.getKey(), e.getValue());
            }
            header.add(SafetensorsReader.METADATA, metadata);
        }
        long offset = 0;
        for (StoredTensor t : file.tensors()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.type().name());
            JsonArray shape = new JsonArray();
            for (long dim : t.shape()) {
                shape.add(dim);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.data().length;
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
        }
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Writes {@code file} atomically to {@code path} (parent directories are created).
     *
     * @return {@code path}
     * @throws java.io.UncheckedIOException when it cannot be written; an existing file is then
     *     untouched
     */
    public static Path write(Path path, SafetensorsFile file) {
        byte[] header = header(file);
        RunFiles.writeAtomically(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(header.length).array());
            out.write(header);
            for (StoredTensor t : file.tensors()) {
                out.write(t.data());
            }
        });
        return path;
    }
}
