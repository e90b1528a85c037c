package moelab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Turns one run's raw results into {@code results.csv} (every timing with its ratio to its
 * baseline) and {@code results.md} (the tables {@code bench/BENCHMARKS.md} quotes). Baselines:
 * a layer's is the same framework's dense FFN of the same active FLOPs ({@code dense-k1} or
 * {@code dense-k2}); the router's and dispatch + combine's is moelab's dense forward + backward
 * of the same k; a training step's is the dense model it is compared with.
 *
 * <p>Usage: {@code Report JMH.json TORCH.csv MEMORY.csv PAIRED.csv OUT_DIR} (a missing file is
 * skipped).
 */
public final class Report {

    private static final int[] EXPERTS = {1, 4, 8, 16, 64};
    private static final String[][] TRAIN_PAIRS = {
        {"sparse-mlp-tiny", "mixer-tiny-eqflop"}, {"smlp-lm-tiny", "gmlp-lm-tiny"}};

    private Report() {}

    /** Reads the results and writes the CSV and the Markdown tables. */
    public static void main(String[] args) throws IOException {
        Table all = Results.empty();
        Results.addJmh(all, Path.of(args[0]));
        if (Files.exists(Path.of(args[1]))) {
            Results.addTorch(all, Path.of(args[1]));
        }
        Path out = Path.of(args[4]);
        DoubleColumn ratio = DoubleColumn.create("ratio");
        for (int r = 0; r < all.rowCount(); r++) {
            ratio.append(all.doubleColumn("ms").get(r) / baseline(all, all.stringColumn("section")
                    .get(r), all.stringColumn("case").get(r), all.stringColumn("source").get(r)));
        }
        all.addColumns(ratio);
        all.write().csv(out.resolve("results.csv").toFile());
        StringBuilder md = new StringBuilder();
        Table paired = Files.exists(Path.of(args[3])) ? Table.read().csv(args[3]) : null;
        md.append(layerTables(all)).append(targets(all, paired));
        if (paired != null) {
            md.append(pairedTable(paired));
        }
        md.append(routerTable(all)).append(trainTable(all));
        if (Files.exists(Path.of(args[2]))) {
            md.append(memoryTable(Path.of(args[2])));
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        System.out.print(md);
    }

    private static double baseline(Table all, String section, String name, String source) {
        if (section.equals("train")) {
            for (String[] pair : TRAIN_PAIRS) {
                if (pair[0].equals(name) || pair[1].equals(name)) {
                    return Results.ms(all, "train", pair[1], "moelab");
                }
            }
            return Double.NaN;
        }
        String k = name.contains("-k2") ? "dense-k2" : "dense-k1";
        String dense = source.startsWith("torch") ? "torch-dense" : "moelab";
        return Results.ms(all, "layer", k, dense);
    }

    private static String layerTables(Table all) {
        StringBuilder md = new StringBuilder("### Layer forward + backward, ratio to the same"
                + " framework's dense FFN\n\n");
        md.append(String.format(Locale.ROOT, "Dense FFN forward + backward: moelab %.1f ms (k=1),"
                + " %.1f ms (k=2); PyTorch %.1f ms (k=1), %.1f ms (k=2).%n%n",
                Results.ms(all, "layer", "dense-k1", "moelab"),
                Results.ms(all, "layer", "dense-k2", "moelab"),
                Results.ms(all, "layer", "dense-k1", "torch-dense"),
                Results.ms(all, "layer", "dense-k2", "torch-dense")));
        String[] sources = {"moelab-padded", "moelab-sorted", "torch-loop", "torch-einsum",
            "torch-sortbmm"};
        for (String variant : new String[] {"k1-cf1.25", "k1-dropless", "k2-cf1.25",
            "k2-dropless"}) {
            Table t = Table.create(variant);
            t.addColumns(StringColumn.create("E"));
            for (String s : sources) {
                t.addColumns(StringColumn.create(s));
            }
            for (int e : EXPERTS) {
                String name = "moe-E" + e + "-" + variant;
                if (Double.isNaN(ratio(all, name, "moelab-padded"))
                        && Double.isNaN(ratio(all, name, "torch-sortbmm"))) {
                    continue;
                }
                t.stringColumn("E").append(Integer.toString(e));
                for (String s : sources) {
                    t.stringColumn(s).append(times(ratio(all, name, s)));
                }
            }
            md.append("**").append(variant.replace("k1", "top-1").replace("k2", "top-2")
                    .replace("-cf1.25", ", capacity factor 1.25").replace("-dropless",
                            ", dropless")).append("**\n\n").append(Markdown.of(t)).append('\n');
        }
        return md.toString();
    }

    private static double ratio(Table all, String name, String source) {
        return Results.ms(all, "layer", name, source) / baseline(all, "layer", name, source);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /** The targets for the sorted execution, per routing variant. */
    private static String targets(Table all, Table paired) {
        Table t = Table.create("targets", StringColumn.create("target"));
        String[] variants = {"k1-cf1.25", "k1-dropless", "k2-cf1.25", "k2-dropless"};
        for (String v : variants) {
            t.addColumns(StringColumn.create(v));
        }
        String[] names = {"E=1 ≤ 1.05× dense", "E=8 ≤ 1.25× dense", "E=64 ≤ 1.5× the E=4 time",
            "≤ PyTorch sort+bmm ratio at every E"};
        for (String n : names) {
            t.stringColumn("target").append(n);
        }
        for (String v : variants) {
            String sorted = "moelab-sorted";
            List<String> cells = new ArrayList<>();
            cells.add(judged(ratio(all, "moe-E1-" + v, sorted),
                    pairedRatio(paired, "moe-E1-" + v + "-sorted"), 1.05));
            cells.add(judged(ratio(all, "moe-E8-" + v, sorted),
                    pairedRatio(paired, "moe-E8-" + v + "-sorted"), 1.25));
            cells.add(judged(Results.ms(all, "layer", "moe-E64-" + v, sorted)
                    / Results.ms(all, "layer", "moe-E4-" + v, sorted),
                    pairedRatio(paired, "moe-E64-" + v + "-sorted")
                            / pairedRatio(paired, "moe-E4-" + v + "-sorted"), 1.5));
            List<String> above = new ArrayList<>();
            int compared = 0;
            for (int e : EXPERTS) {
                String name = "moe-E" + e + "-" + v;
                double ours = pairedRatio(paired, name + "-sorted");
                ours = Double.isNaN(ours) ? ratio(all, name, sorted) : ours;
                double torch = ratio(all, name, "torch-sortbmm");
                if (!Double.isNaN(torch)) {
                    compared++;
                    if (!(ours <= torch)) {
                        above.add("E=" + e + " " + times(ours) + " vs " + times(torch));
                    }
                }
            }
            cells.add(compared == 0 ? "not run" : above.isEmpty() ? "met at " + compared + " E"
                    : "missed: " + String.join("; ", above));
            cells.forEach(t.stringColumn(v)::append);
        }
        return "### Targets (sorted execution; judged on the paired ratio where measured, else JMH)\n\n"
                + Markdown.of(t) + '\n';
    }

    /**
     * The verdict on the paired ratio when there is one (dense and MoE measured under the same
     * load), else on the JMH ratio; the other shown beside it.
     */
    private static String judged(double jmh, double paired, double limit) {
        if (Double.isNaN(paired)) {
            return verdict(jmh, limit) + " (JMH)";
        }
        return verdict(paired, limit) + " paired (JMH " + times(jmh) + ")";
    }

    private static double pairedRatio(Table paired, String name) {
        if (paired == null) {
            return Double.NaN;
        }
        Table hit = paired.where(paired.stringColumn("case").isEqualTo(name));
        return hit.rowCount() == 0 ? Double.NaN : hit.doubleColumn("ratio").get(0);
    }

    private static String verdict(double value, double limit) {
        if (Double.isNaN(value)) {
            return "not run";
        }
        return (value <= limit ? "met " : "missed ") + times(value);
    }

    private static String routerTable(Table all) {
        Table t = Table.create("router", StringColumn.create("case"),
                StringColumn.create("moelab router ms"), StringColumn.create("router × dense"),
                StringColumn.create("moelab dispatch+combine ms"),
                StringColumn.create("dispatch+combine × dense"),
                StringColumn.create("PyTorch router × its dense"));
        for (String name : all.where(all.stringColumn("section").isEqualTo("router")
                .and(all.stringColumn("source").isEqualTo("moelab"))).stringColumn("case")) {
            double router = Results.ms(all, "router", name, "moelab");
            double dispatch = Results.ms(all, "dispatch", name, "moelab");
            double dense = baseline(all, "router", name, "moelab");
            double torch = Results.ms(all, "router", name, "torch-gshard-cumsum");
            t.stringColumn(0).append(name);
            t.stringColumn(1).append(String.format(Locale.ROOT, "%.1f", router));
            t.stringColumn(2).append(times(router / dense));
            t.stringColumn(3).append(String.format(Locale.ROOT, "%.1f", dispatch));
            t.stringColumn(4).append(times(dispatch / dense));
            t.stringColumn(5).append(times(torch / baseline(all, "router", name, "torch")));
        }
        return "### Router alone and dispatch + combine alone (forward, capacity factor 1.25),"
                + " ratio to the dense layer's forward + backward\n\n" + Markdown.of(t) + '\n';
    }

    private static String trainTable(Table all) {
        Table t = Table.create("train", StringColumn.create("model"), StringColumn.create("ms/step"),
                StringColumn.create("× its dense pair"));
        for (String[] pair : TRAIN_PAIRS) {
            for (String name : pair) {
                double ms = Results.ms(all, "train", name, "moelab");
                t.stringColumn(0).append(name);
                t.stringColumn(1).append(String.format(Locale.ROOT, "%.1f", ms));
                t.stringColumn(2).append(times(ms / baseline(all, "train", name, "moelab")));
            }
        }
        return "### Training step (batch 64, forward + loss + backward + AdamW)\n\n"
                + Markdown.of(t) + '\n';
    }

    private static String pairedTable(Table raw) {
        Table t = Table.create("paired", StringColumn.create("case"),
                StringColumn.create("dense ms (median)"), StringColumn.create("MoE ms (median)"),
                StringColumn.create("MoE / dense"));
        for (int r = 0; r < raw.rowCount(); r++) {
            t.stringColumn(0).append(raw.stringColumn("case").get(r));
            t.stringColumn(1).append(raw.column("dense_ms").getString(r));
            t.stringColumn(2).append(raw.column("moe_ms").getString(r));
            t.stringColumn(3).append(times(raw.doubleColumn("ratio").get(r)));
        }
        return "### Paired ratios (dense and MoE passes alternated, ratio of medians)\n\n"
                + Markdown.of(t) + '\n';
    }

    private static String memoryTable(Path csv) throws IOException {
        Table raw = Table.read().csv(csv.toFile());
        Table t = Table.create("memory", StringColumn.create("case"),
                StringColumn.create("NDArray MB"), StringColumn.create("NDArray / (4·T·k·d)"),
                StringColumn.create("peak RSS MB"), StringColumn.create("RSS / (4·T·k·d)"));
        for (int r = 0; r < raw.rowCount(); r++) {
            t.stringColumn(0).append(raw.stringColumn("case").get(r));
            t.stringColumn(1).append(mb(raw.column("ndarray_bytes").getString(r)));
            t.stringColumn(2).append(raw.column("ndarray_per_tkd").getString(r));
            t.stringColumn(3).append(mb(raw.column("peak_rss_bytes").getString(r)));
            t.stringColumn(4).append(raw.column("peak_rss_per_tkd").getString(r));
        }
        return "### Memory of one forward + backward (see LayerMemory for what is measured)\n\n"
                + Markdown.of(t) + '\n';
    }

    private static String mb(String bytes) {
        return String.format(Locale.ROOT, "%.0f", Double.parseDouble(bytes) / (1 << 20));
    }
}
