package moelab.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every timing of one benchmark run in one long table: {@code section} (layer, router, dispatch,
 * train), {@code case}, {@code source} (moelab, moelab-padded, moelab-sorted, torch-loop,
 * torch-einsum, torch-sortbmm, ...) and milliseconds, read from JMH's JSON result and the PyTorch
 * script's CSV.
 */
final class Results {

    private Results() {}

    static Table empty() {
        return Table.create("results", StringColumn.create("section"), StringColumn.create("case"),
                StringColumn.create("source"), DoubleColumn.create("ms"));
    }

    /** Adds JMH's {@code -rf json} result: one row per benchmark and parameter. */
    static void addJmh(Table table, Path json) throws IOException {
        JsonArray runs = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        for (JsonElement element : runs) {
            JsonObject run = element.getAsJsonObject();
            String benchmark = run.get("benchmark").getAsString();
            JsonObject params = run.getAsJsonObject("params");
            String param = params == null ? "" : params.entrySet().iterator().next().getValue()
                    .getAsString();
            double ms = run.getAsJsonObject("primaryMetric").get("score").getAsDouble();
            String section = benchmark.contains("LayerBenchmark") ? "layer"
                    : benchmark.endsWith(".route") ? "router"
                    : benchmark.endsWith(".dispatchCombine") ? "dispatch" : "train";
            String name = param;
            String source = "moelab";
            if (section.equals("layer") && param.startsWith("moe-")) {
                name = param.substring(0, param.lastIndexOf('-'));
                source = "moelab-" + param.substring(param.lastIndexOf('-') + 1);
            }
            add(table, section, name, source, ms);
        }
    }

    /** Adds the PyTorch script's CSV ({@code section,case,style,...,ms,...}). */
    static void addTorch(Table table, Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        int section = List.of(header).indexOf("section");
        int name = List.of(header).indexOf("case");
        int style = List.of(header).indexOf("style");
        int ms = List.of(header).indexOf("ms");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            add(table, f[section], f[name], "torch-" + f[style], Double.parseDouble(f[ms]));
        }
    }

    private static void add(Table table, String section, String name, String source, double ms) {
        table.stringColumn("section").append(section);
        table.stringColumn("case").append(name);
        table.stringColumn("source").append(source);
        table.doubleColumn("ms").append(ms);
    }

    /** Milliseconds of one row, or NaN when that case was not run. */
    static double ms(Table table, String section, String name, String source) {
        Table hit = table.where(table.stringColumn("section").isEqualTo(section)
                .and(table.stringColumn("case").isEqualTo(name))
                .and(table.stringColumn("source").isEqualTo(source)));
        return hit.rowCount() == 0 ? Double.NaN : hit.doubleColumn("ms").get(0);
    }
}
