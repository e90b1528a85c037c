package moelab.interop;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a safetensors file (the format of Hugging Face's {@code safetensors} library,
 * read by {@code safetensors.torch.load_file} and by {@code bench/reference/moelab_torch.py}):
 *
 * <pre>
 *   8 bytes    N, the header length, unsigned little-endian
 *   N bytes    JSON header: {"__metadata__": {"key": "value", ...},
 *                            "name": {"dtype": "F32", "shape": [d0, d1], "data_offsets": [b, e]}, ...}
 *   rest       the tensors' bytes, little-endian, row-major; tensor "name" is bytes [b, e) of it
 * </pre>
 *
 * The tensors keep their order; {@code __metadata__} is an optional map of strings.
 *
 * @param tensors the tensors, in file order, names unique
 * @param metadata the {@code __metadata__} strings (empty when the file has none)
 */
public record SafetensorsFile(List<StoredTensor> tensors, Map<String, String> metadata) {

    /** Copies both collections and checks that the tensor names are unique. */
    public SafetensorsFile {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, StoredTensor> seen = new LinkedHashMap<>();
        for (StoredTensor t : tensors) {
            if (t.name().equals(SafetensorsReader.METADATA) || seen.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor name '" + t.name()
                        + "' is used twice or is reserved");
            }
        }
    }

    /** The tensors by name, in file order. */
    public Map<String, StoredTensor> byName() {
        Map<String, StoredTensor> map = new LinkedHashMap<>();
        for (StoredTensor t : tensors) {
            map.put(t.name(), t);
        }
        return map;
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws IllegalArgumentException naming the missing tensor when there is none
     */
    public StoredTensor get(String name) {
        StoredTensor tensor = byName().get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the file; it has "
                    + byName().keySet());
        }
        return tensor;
    }

    /** Reads and checks a file; see {@link SafetensorsReader#read}. */
    public static SafetensorsFile read(Path path) {
        return SafetensorsReader.read(path);
    }

    /** Writes this atomically to {@code path}; see {@link SafetensorsWriter#write}. */
    public Path write(Path path) {
        return SafetensorsWriter.write(path, this);
    }
}
