package moelab.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file (layout in {@link SafetensorsFile}) and checks it as the reference
 * implementation does: the header length fits the file and a 100 MB limit, the header is UTF-8
 * JSON, every entry has a known dtype, a shape of non-negative integers and {@code data_offsets}
 * whose span is exactly {@code product(shape) · bytes(dtype)}, and the tensors tile the data
 * section with no gap, overlap or trailing bytes. A file that fails any check is refused with an
 * {@link IllegalArgumentException} naming the file, the tensor and the numbers that disagree.
 */
public final class SafetensorsReader {

    /** The reserved header key of the free-form string metadata. */
    public static final String METADATA = "__metadata__";

    /** The largest header the reference implementation accepts, in bytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafetensorsReader() {}

    /**
     * Reads {@code path}.
     *
     * @throws IllegalArgumentException when the file is truncated or malformed (the message says
     *     how)
     * @throws UncheckedIOException when it cannot be read at all
     */
    public static SafetensorsFile read(Path path) {
        try (FileChannel channel = FileChannel.open(path)) {
            long size = channel.size();
            String where = "safetensors file " + path + " (" + size + " bytes)";
            if (size < 8) {
                throw new IllegalArgumentException(where
                        + " is shorter than the 8-byte header length: truncated or not safetensors");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > size - 8) {
                throw new IllegalArgumentException(where + ": header length " + headerLength
                        + " goes beyond the file (at most " + (size - 8)
                        + "): truncated or not safetensors");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException(where + ": header length " + headerLength
                        + " is over the " + MAX_HEADER_BYTES + "-byte limit");
            }
            JsonObject header = parseHeader(readFully(channel, 8, (int) headerLength), where);
            long dataStart = 8 + headerLength;
            List<Entry> entries = entries(header, where);
            checkTiling(entries, size - dataStart, where);
            List<StoredTensor> tensors = new ArrayList<>();
            for (Entry e : entries) {
                ByteBuffer bytes = readFully(channel, dataStart + e.begin, (int) (e.end - e.begin));
                tensors.add(new StoredTensor(e.name, e.type, e.shape, bytes.array()));
            }
            return new SafetensorsFile(tensors, metadata(header.get(METADATA), where));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors file " + path, e);
        }
    }

    /** One header entry: where a tensor's bytes are and what they hold. */
    private record Entry(String name, SafetensorsType type, long[] shape, long begin, long end) {}

    private static ByteBuffer readFully(FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("file ended at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static JsonObject parseHeader(ByteBuffer bytes, String where) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + ": header is not UTF-8 text", e);
        }
        try {
            JsonElement json = JsonParser.parseString(text.stripTrailing());
            if (json.isJsonObject()) {
                return json.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            // reported below, with the start of the text
        }
        String start = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        throw new IllegalArgumentException(where + ": header is not a JSON object: " + start);
    }

    private static List<Entry> entries(JsonObject header, String where) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                continue;
            }
            String name = e.getKey();
            String at = where + ", tensor '" + name + "'";
            if (!e.getValue().isJsonObject()) {
                throw new IllegalArgumentException(at + ": entry is not a JSON object");
            }
            JsonObject entry = e.getValue().getAsJsonObject();
            SafetensorsType type;
            try {
                type = SafetensorsType.ofCode(string(entry.get("dtype"), at + ": dtype"));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(at + ": " + bad.getMessage(), bad);
            }
            long[] shape = integers(entry.get("shape"), -1, at + ": shape");
            long[] offsets = integers(entry.get("data_offsets"), 2, at + ": data_offsets");
            long needed = StoredTensor.elementCount(shape) * type.bytes();
            if (offsets[1] - offsets[0] != needed) {
                throw new IllegalArgumentException(at + ": data_offsets [" + offsets[0] + ", "
                        + offsets[1] + "] hold " + (offsets[1] - offsets[0]) + " bytes, but "
                        + type + " " + Arrays.toString(shape) + " needs " + needed);
            }
            entries.add(new Entry(name, type, shape, offsets[0], offsets[1]));
        }
        return entries;
    }

    private static void checkTiling(List<Entry> entries, long dataBytes, String where) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        long end = 0;
        for (Entry e : sorted) {
            if (e.begin != end) {
                throw new IllegalArgumentException(where + ", tensor '" + e.name + "': starts at data"
                        + " byte " + e.begin + " but the tensor before it ends at " + end
                        + " (gap or overlap)");
            }
            if (e.end > dataBytes) {
                throw new IllegalArgumentException(where + ", tensor '" + e.name + "': ends at data"
                        + " byte " + e.end + " but the data section has only " + dataBytes
                        + " bytes: the file is truncated");
            }
            end = e.end;
        }
        if (end != dataBytes) {
            throw new IllegalArgumentException(where + ": " + (dataBytes - end)
                    + " bytes after the last tensor's data (header and file disagree)");
        }
    }

    private static Map<String, String> metadata(JsonElement json, String where) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (json == null) {
            return metadata;
        }
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException(where + ": " + METADATA + " is not a JSON object");
        }
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
            metadata.put(e.getKey(), string(e.getValue(), where + ": " + METADATA + "." + e.getKey()));
        }
        return metadata;
    }

    private static String string(JsonElement json, String what) {
        if (json instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new IllegalArgumentException(what + " must be a string, got " + json);
    }

    /** A JSON array of non-negative integers, of {@code length} elements unless it is -1. */
    private static long[] integers(JsonElement json, int length, String what) {
        if (json instanceof JsonArray array && (length < 0 || array.size() == length)) {
            long[] out = new long[array.size()];
            for (int i = 0; i < out.length; i++) {
                JsonElement v = array.get(i);
                if (!(v instanceof JsonPrimitive p && p.isNumber())
                        || p.getAsBigDecimal().stripTrailingZeros().scale() > 0
                        || p.getAsLong() < 0) {
                    throw new IllegalArgumentException(what + " must hold non-negative integers,"
                            + " got " + json);
                }
                out[i] = v.getAsLong();
            }
            return out;
        }
        throw new IllegalArgumentException(what + " must be an array"
                + (length < 0 ? "" : " of " + length + " integers") + ", got " + json);
    }
}
