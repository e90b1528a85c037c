package moelab.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A moelab model's weights as a PyTorch {@code state_dict} in a safetensors file: export them
 * under their {@link TorchNames PyTorch names}, or load such a file back into a model.
 *
 * <p>The file's {@code __metadata__} holds {@code "format": "pt"} (what Hugging Face's loaders
 * expect of PyTorch weights) plus whatever the caller adds, e.g. {@link ConfigMetadata} so that
 * {@code bench/reference/moelab_torch.py} can rebuild the model.
 */
public final class TorchWeights {

    private TorchWeights() {}

    /** The weights of an initialised {@code model} with {@code metadata} (plus {@code format}). */
    public static SafetensorsFile stateDict(Block model, Map<String, String> metadata) {
        List<StoredTensor> tensors = new ArrayList<>();
        for (TorchParameter p : TorchNames.of(model)) {
            tensors.add(p.toStored());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        return new SafetensorsFile(tensors, meta);
    }

    /** Writes {@link #stateDict} to {@code path} atomically; returns the path. */
    public static Path export(Block model, Path path, Map<String, String> metadata) {
        return stateDict(model, metadata).write(path);
    }

    /**
     * Loads the weights in {@code path} into the initialised {@code model}.
     *
     * @return the file's metadata
     * @throws IllegalArgumentException when the file is malformed, or does not hold exactly the
     *     model's tensors in the model's types and shapes (the model is then unchanged)
     */
    public static Map<String, String> load(Path path, Block model) {
        SafetensorsFile file = SafetensorsFile.read(path);
        load(file, model);
        return file.metadata();
    }

    /**
     * Copies {@code file}'s tensors into the matching parameters of {@code model}. Every
     * tensor is checked before any is copied: a missing, extra, mistyped or misshaped tensor is
     * an error naming it and what the model expects, and leaves the model unchanged.
     */
    public static void load(SafetensorsFile file, Block model) {
        List<TorchParameter> expected = TorchNames.of(model);
        Map<String, StoredTensor> tensors = file.byName();
        List<String> problems = new ArrayList<>();
        Set<String> extra = new LinkedHashSet<>(tensors.keySet());
        for (TorchParameter p : expected) {
            extra.remove(p.name());
            StoredTensor t = tensors.get(p.name());
            String want = SafetensorsType.of(p.parameter().getArray().getDataType()) + " "
                    + p.torchShape();
            if (t == null) {
                problems.add("missing tensor '" + p.name() + "' (expected " + want + ")");
            } else if (!t.djlShape().equals(p.torchShape())
                    || t.type().dataType() != p.parameter().getArray().getDataType()) {
                problems.add("tensor '" + p.name() + "' is " + t.type() + " " + t.djlShape()
                        + ", expected " + want);
            }
        }
        for (String name : extra) {
            problems.add("unexpected tensor '" + name + "' " + tensors.get(name).djlShape()
                    + ": the model has no parameter of that name");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the weights do not fit " + model.getClass()
                    .getSimpleName() + ":\n  " + String.join("\n  ", problems));
        }
        for (TorchParameter p : expected) {
            NDArray target = p.parameter().getArray();
            try (NDManager scratch = target.getManager().newSubManager()) {
                Shape shape = target.getShape();
                NDArray values = p.layout().fromTorch(tensors.get(p.name()).toArray(scratch), shape);
                target.set(values.toDevice(target.getDevice(), false).toByteBuffer());
            }
        }
    }
}
