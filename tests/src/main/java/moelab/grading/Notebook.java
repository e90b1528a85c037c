package moelab.grading;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Jupyter notebook (nbformat 4) held as JSON, with the few operations moelab needs: list the
 * cells, read and replace a cell's source, find exercise cells, clear outputs, and write the file
 * back in Jupyter's own layout (keys sorted, one-space indent, trailing newline) so that generated
 * notebooks diff cleanly.
 *
 * <p>An <em>exercise cell</em> is a code cell whose metadata holds {@code "tags": ["exercise"]}
 * and {@code "moelab": {"exercise": "<id>"}}.
 */
public final class Notebook {

    private final JsonObject json;

    private Notebook(JsonObject json) {
        this.json = json;
    }

    /** Reads a notebook file. */
    public static Notebook read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notebook " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a Jupyter notebook: " + e.getMessage(), e);
        }
    }

    /** Parses notebook JSON text. */
    public static Notebook parse(String text) {
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        if (!json.has("cells") || !json.get("cells").isJsonArray()) {
            throw new IllegalArgumentException("no \"cells\" array");
        }
        return new Notebook(json);
    }

    /** A deep copy, so that edits leave this notebook alone. */
    public Notebook copy() {
        return new Notebook(json.deepCopy());
    }

    /** The cells, in order; edits through a {@link Cell} change this notebook. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (JsonElement e : json.getAsJsonArray("cells")) {
            cells.add(new Cell(e.getAsJsonObject()));
        }
        return cells;
    }

    /** The exercise cells, in order. */
    public List<Cell> exerciseCells() {
        return cells().stream().filter(Cell::isExercise).toList();
    }

    /** The notebook-level metadata object (created when missing); edits change this notebook. */
    public JsonObject metadata() {
        if (!json.has("metadata") || !json.get("metadata").isJsonObject()) {
            json.add("metadata", new JsonObject());
        }
        return json.getAsJsonObject("metadata");
    }

    /** The notebook as Jupyter writes it: sorted keys, one-space indent, final newline. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.setFormattingStyle(FormattingStyle.PRETTY.withIndent(" "));
            writer.setHtmlSafe(false);
            GSON.toJson(sorted(json), writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /** Writes {@link #toJson()} to a file. */
    public void write(Path file) {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notebook " + file, e);
        }
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private static JsonElement sorted(JsonElement e) {
        if (e.isJsonObject()) {
            Map<String, JsonElement> keys = new TreeMap<>();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                keys.put(entry.getKey(), sorted(entry.getValue()));
            }
            JsonObject out = new JsonObject();
            keys.forEach(out::add);
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(sorted(x)));
            return out;
        }
        return e;
    }

    /** One cell of a notebook, a view on its JSON. */
    public static final class Cell {

        private final JsonObject json;

        private Cell(JsonObject json) {
            this.json = json;
        }

        /** {@code code}, {@code markdown} or {@code raw}. */
        public String type() {
            return json.get("cell_type").getAsString();
        }

        /** Whether this is a code cell. */
        public boolean isCode() {
            return "code".equals(type());
        }

        /** The source text (Jupyter stores it as a list of lines or as one string). */
        public String source() {
            JsonElement source = json.get("source");
            if (source == null || source.isJsonNull()) {
                return "";
            }
            if (source.isJsonPrimitive()) {
                return source.getAsString();
            }
            StringBuilder text = new StringBuilder();
            source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
            return text.toString();
        }

        /** Replaces the source, stored as a list of lines the way Jupyter does. */
        public void setSource(String text) {
            JsonArray lines = new JsonArray();
            int start = 0;
            while (start < text.length()) {
                int end = text.indexOf('\n', start);
                end = end < 0 ? text.length() : end + 1;
                lines.add(new JsonPrimitive(text.substring(start, end)));
                start = end;
            }
            json.add("source", lines);
        }

        /** The exercise id of an exercise cell, or {@code null} for any other cell. */
        public String exerciseId() {
            if (!isCode() || !json.has("metadata")) {
                return null;
            }
            JsonObject metadata = json.getAsJsonObject("metadata");
            boolean tagged = metadata.has("tags")
                    && metadata.getAsJsonArray("tags").contains(new JsonPrimitive("exercise"));
            if (!tagged) {
                return null;
            }
            JsonElement moelab = metadata.get("moelab");
            if (moelab == null || !moelab.isJsonObject() || !moelab.getAsJsonObject().has("exercise")) {
                throw new IllegalArgumentException(
                        "a cell tagged \"exercise\" has no metadata moelab.exercise id:\n" + source());
            }
            return moelab.getAsJsonObject().get("exercise").getAsString();
        }

        /** Whether this is an exercise cell. */
        public boolean isExercise() {
            return exerciseId() != null;
        }

        /** Whether the cell's metadata carries this tag. */
        public boolean hasTag(String tag) {
            JsonElement metadata = json.get("metadata");
            if (metadata == null || !metadata.isJsonObject()) {
                return false;
            }
            JsonElement tags = metadata.getAsJsonObject().get("tags");
            return tags != null && tags.isJsonArray() && tags.getAsJsonArray().contains(new JsonPrimitive(tag));
        }

        /** Whether a code cell has been executed (it has an execution count). */
        public boolean executed() {
            JsonElement count = json.get("execution_count");
            return count != null && !count.isJsonNull();
        }

        /** A code cell's outputs as stored (a copy; empty for other cells). */
        public List<JsonObject> outputs() {
            List<JsonObject> outputs = new ArrayList<>();
            JsonElement array = json.get("outputs");
            if (array != null && array.isJsonArray()) {
                array.getAsJsonArray().forEach(o -> outputs.add(o.getAsJsonObject().deepCopy()));
            }
            return outputs;
        }

        /** Removes the outputs and the execution count of a code cell. */
        public void clearOutputs() {
            if (isCode()) {
                json.add("outputs", new JsonArray());
                json.add("execution_count", JsonNull.INSTANCE);
            }
            if (json.has("metadata")) {
                json.getAsJsonObject("metadata").remove("execution");
            }
        }
    }
}
