package moelab.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import moelab.files.RunFiles;
import moelab.models.ModelConfig;

/**
 * What a run is, in full: the model configuration ({@link ModelConfig#toJson()}: every field, so
 * a variant built in a notebook with {@code withX(...)} is rebuilt exactly) and the {@link TrainConfig}. Written as JSON to the
 * run directory's {@value #FILE} and into every {@link Checkpoint}, so that {@code --resume} and
 * {@code eval} need no names and no notebook:
 *
 * <pre>{"train": {...TrainConfig...}, "model": {...model config...}}</pre>
 *
 * @param train the training configuration
 * @param model the model configuration, or null for a block not built from one (such a run
 *     resumes from the API only)
 */
public record RunDescription(TrainConfig train, ModelConfig model) {

    /** File name inside the run directory. */
    public static final String FILE = "run.json";

    private static final Gson JSON = new GsonBuilder().setPrettyPrinting().create();

    /** The description as a JSON object. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.add("train", JsonParser.parseString(train.toJson()));
        if (model != null) {
            o.add("model", JsonParser.parseString(model.toJson()));
        }
        return JSON.toJson(o);
    }

    /**
     * Reads a description written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the text is not one, naming what is wrong
     */
    public static RunDescription fromJson(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not a run description (JSON object with \"train\""
                    + " and \"model\"): " + e.getMessage(), e);
        }
        if (!o.has("train")) {
            throw new IllegalArgumentException("the run description has no \"train\" object");
        }
        JsonElement model = o.get("model");
        return new RunDescription(TrainConfig.fromJson(o.get("train").toString()),
                model == null || model.isJsonNull() ? null : ModelConfig.fromJson(model.toString()));
    }

    /** Writes {@code dir/}{@value #FILE} atomically. */
    public Path write(Path dir) {
        byte[] bytes = (toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        return RunFiles.writeAtomically(dir.resolve(FILE), out -> out.write(bytes));
    }

    /**
     * Reads {@code dir/}{@value #FILE}.
     *
     * @throws IllegalArgumentException when it is missing or not a run description
     */
    public static RunDescription read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model configuration: the one stored, else the named one the training configuration
     * names.
     *
     * @throws IllegalArgumentException when the run has neither
     */
    public ModelConfig resolvedModel() {
        if (model != null) {
            return model;
        }
        if (train.model() == null) {
            throw new IllegalArgumentException("the run names no model config (--config NAME);"
                    + " model configs: " + String.join(", ", ModelConfig.names()));
        }
        return ModelConfig.byName(train.model());
    }

    /** The same description with another training configuration. */
    public RunDescription withTrain(TrainConfig train) {
        return new RunDescription(train, model);
    }
}
