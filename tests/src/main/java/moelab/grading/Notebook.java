package moelab.grading;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The largest notebook file read (course notebooks with outputs are a few MiB). */
    static final long MAX_BYTES = 256L << 20;

    private final JsonObject json;

    private Notebook(JsonObject json) {
        this.json = json;
    }

    /**
     * Reads a notebook file.
     *
     * @throws IllegalArgumentException when the file is not UTF-8 text, not JSON or not a notebook,
     *     with a one-line message
     */
    public static Notebook read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is not a Jupyter notebook: larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notebook " + file, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not a Jupyter notebook: not UTF-8 text");
        }
        try {
            return parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a Jupyter notebook: " + oneLine(e), e);
        }
    }

    /**
     * Parses notebook JSON text: an object with a {@code "cells"} array of cell objects, each with a
     * {@code cell_type}.
     */
    public static Notebook parse(String text) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            Matcher where = Pattern.compile("at line \\d+ column \\d+").matcher(String.valueOf(e.getMessage()));
            throw new IllegalArgumentException("not valid JSON" + (where.find() ? " (" + where.group() + ")" : ""), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject json = root.getAsJsonObject();
        if (!json.has("cells") || !json.get("cells").isJsonArray()) {
            throw new IllegalArgumentException("no \"cells\" array");
        }
        int index = 0;
        for (JsonElement cell : json.getAsJsonArray("cells")) {
            index++;
            if (!cell.isJsonObject() || !(cell.getAsJsonObject().get("cell_type") instanceof JsonPrimitive type)
                    || !type.isString()) {
                throw new IllegalArgumentException("cell " + index + " is not a cell object with a \"cell_type\"");
            }
            JsonElement metadata = cell.getAsJsonObject().get("metadata");
            if (metadata != null && !metadata.isJsonObject()) {
                throw new IllegalArgumentException("cell " + index + " has metadata that is not an object");
            }
        }
        return new Notebook(json);
    }

    /**
     * The chapter number the notebook declares in its top-level metadata
     * ({@code "moelab": {"chapter": "02"}}), or null when it declares none.
     */
    public String chapter() {
        JsonElement moelab = json.has("metadata") && json.get("metadata").isJsonObject()
                ? json.getAsJsonObject("metadata").get("moelab") : null;
        if (moelab == null || !moelab.isJsonObject()) {
            return null;
        }
        JsonElement chapter = moelab.getAsJsonObject().get("chapter");
        return chapter instanceof JsonPrimitive p && p.isString() && p.getAsString().matches("\\d\\d")
                ? p.getAsString() : null;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replace("\nSee https://github.com/google/gson/blob/main/Troubleshooting.md", "");
        String first = message.lines().findFirst().orElse(message);
        return first.length() > 200 ? first.substring(0, 200) + "…" : first;
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
            if (!source.isJsonArray()) {
                throw new IllegalArgumentException("a cell's source is neither text nor a list of lines");
            }
            StringBuilder text = new StringBuilder();
            for (JsonElement line : source.getAsJsonArray()) {
                if (!line.isJsonPrimitive()) {
                    throw new IllegalArgumentException("a cell's source holds something other than lines of text");
                }
                text.append(line.getAsString());
            }
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
            if (!isCode() || !(json.get("metadata") instanceof JsonObject metadata)) {
                return null;
            }
            boolean tagged = metadata.get("tags") instanceof JsonArray tags
                    && tags.contains(new JsonPrimitive("exercise"));
            if (!tagged) {
                return null;
            }
            if (metadata.get("moelab") instanceof JsonObject moelab
                    && moelab.get("exercise") instanceof JsonPrimitive id && id.isString()) {
                return id.getAsString();
            }
            String first = source().lines().findFirst().orElse("");
            throw new IllegalArgumentException(
                    "a cell tagged \"exercise\" has no metadata moelab.exercise id (cell starting \"" + first + "\")");
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
