package moelab.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import moelab.files.RunFiles;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A CSV log with a fixed header, appended one row at a time and flushed, so that a killed run keeps
 * every row written before it died. Read back as a Tablesaw {@link Table}; {@link #retain} drops
 * rows a resumed run is about to redo.
 */
final class CsvFile {

    private final Path path;
    private final List<String> columns;

    CsvFile(Path path, List<String> columns) {
        this.path = path;
        this.columns = List.copyOf(columns);
    }

    Path path() {
        return path;
    }

    /** Starts a new file holding only the header (an existing file is replaced). */
    void create() {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, String.join(",", columns) + "\n", StandardCharsets.UTF_8);
            RunFiles.setMode(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /**
     * Appends one row; {@code null} and NaN are written as empty cells, doubles in plain decimal.
     */
    void append(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for columns " + columns);
        }
        if (!Files.exists(path)) {
            create();
        }
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(format(values[i]));
        }
        row.append('\n');
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(row.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path, e);
        }
    }

    private static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "";
        }
        String s = v.toString();
        if (s.contains(",") || s.contains("\"")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /**
     * Keeps the header and the rows for which {@code keep} is true (given the row's cells); creates
     * the file when it is missing.
     */
    void retain(Predicate<String[]> keep) {
        if (!Files.exists(path)) {
            create();
            return;
        }
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(String.join(",", columns))) {
                throw new IllegalStateException(path + " does not have the columns " + columns
                        + "; move it away or start a fresh output directory");
            }
            List<String> kept = new ArrayList<>();
            kept.add(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank() && keep.test(line.split(",", -1))) {
                    kept.add(line);
                }
            }
            Files.write(path, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + path, e);
        }
    }

    /** Index of a column. */
    int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    /** The file as a table, each column typed by {@code types} (empty cells are missing values). */
    Table read(Function<String, ColumnType> types) {
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(path.toFile())
                    .columnTypes(types)
                    .missingValueIndicator("")
                    .build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
