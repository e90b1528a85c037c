package moelab.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import moelab.files.RunFiles;
import moelab.inspect.ChartFiles;
import moelab.inspect.ComparisonCharts;
import moelab.models.Cost;
import moelab.models.ModelConfig;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Finished runs side by side, read from their {@code metrics.csv}: a summary table (one row per
 * run: steps, training wall-clock, throughput, the last and the best evaluation, then what its
 * {@code run.json} says: model config, dataset, seed, active parameters and FLOPs per example, so
 * that a program can group runs and check equal-FLOP claims) and a chart of
 * the evaluation metric against epochs and against training minutes. The metric is the evaluation
 * accuracy for classifiers and the bits per character for language models. Wall-clock counts the
 * training steps only, not the evaluations between epochs.
 */
public final class RunComparison {

    /** Summary table file name. */
    public static final String CSV = "summary.csv";
    /** The same table as Markdown, for a README. */
    public static final String MARKDOWN = "summary.md";
    /** The chart. */
    public static final String PLOT = "comparison.png";

    private final List<Path> runs;
    private final List<Table> epochs;
    private final List<Table> steps;
    private final List<RunDescription> descriptions;
    private final boolean classifier;

    /**
     * @param runs run directories, each holding a {@code metrics.csv}; the directory name labels
     *     the run
     */
    public RunComparison(List<Path> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("compare needs at least one run directory");
        }
        this.runs = List.copyOf(runs);
        List<Table> tables = runs.stream().map(RunComparison::metrics).toList();
        this.epochs = tables.stream().map(t -> rows(t, "epoch")).toList();
        this.steps = tables.stream().map(t -> rows(t, "step")).toList();
        this.descriptions = runs.stream().map(RunComparison::description).toList();
        for (int i = 0; i < runs.size(); i++) {
            if (epochs.get(i).rowCount() == 0) {
                throw new IllegalArgumentException(runs.get(i) + " has no finished epoch yet");
            }
        }
        this.classifier = !hasValues(epochs.get(0), "eval_bpc");
    }

    private static Table metrics(Path run) {
        if (!Files.isRegularFile(run.resolve(MetricsLog.FILE))) {
            throw new IllegalArgumentException(run + " holds no " + MetricsLog.FILE
                    + ": give the --out directory of a `moelab train` run");
        }
        return new MetricsLog(run).table();
    }

    /** The run's {@code run.json}, or null for a run directory without one. */
    private static RunDescription description(Path run) {
        return Files.isRegularFile(run.resolve(RunDescription.FILE)) ? RunDescription.read(run) : null;
    }

    /** The config's name, marked when {@code --set} changed it from the named config. */
    private static String configName(ModelConfig model) {
        boolean named = ModelConfig.names().contains(model.name());
        return named && !model.equals(ModelConfig.byName(model.name()))
                ? model.name() + " (modified)" : model.name();
    }

    private static Table rows(Table metrics, String kind) {
        return metrics.where(metrics.stringColumn("kind").isEqualTo(kind));
    }

    /** Training seconds (evaluations excluded) when step {@code step} of run {@code i} ended. */
    private double trainingSeconds(int i, long step) {
        Table t = steps.get(i);
        Table at = t.where(t.longColumn("step").isEqualTo(step));
        return at.rowCount() == 0 ? Double.NaN : at.doubleColumn("elapsed_s").get(0);
    }

    /** The name of the compared metric: {@code eval_accuracy} or {@code eval_bpc}. */
    public String metric() {
        return classifier ? "eval_accuracy" : "eval_bpc";
    }

    /** One row per run. */
    public Table summary() {
        StringColumn name = StringColumn.create("run");
        LongColumn stepsDone = LongColumn.create("steps");
        DoubleColumn minutes = DoubleColumn.create("minutes");
        DoubleColumn throughput = DoubleColumn.create("examples_per_sec");
        DoubleColumn last = DoubleColumn.create(metric());
        DoubleColumn best = DoubleColumn.create("best_" + metric());
        DoubleColumn loss = DoubleColumn.create("eval_loss");
        StringColumn config = StringColumn.create("config");
        StringColumn dataset = StringColumn.create("dataset");
        LongColumn seed = LongColumn.create("seed");
        LongColumn active = LongColumn.create("active_parameters");
        LongColumn flops = LongColumn.create("flops_per_example");
        for (int i = 0; i < runs.size(); i++) {
            RunDescription d = descriptions.get(i);
            if (d == null) {
                config.appendMissing();
                dataset.appendMissing();
                seed.appendMissing();
                active.appendMissing();
                flops.appendMissing();
            } else {
                ModelConfig model = d.resolvedModel();
                Cost cost = model.cost();
                config.append(configName(model));
                dataset.append(d.train().dataset());
                seed.append(d.train().seed());
                active.append(cost.activeParameters());
                flops.append(cost.flops());
            }
            Table t = epochs.get(i);
            int end = t.rowCount() - 1;
            DoubleColumn m = t.doubleColumn(metric());
            name.append(runs.get(i).getFileName().toString());
            stepsDone.append(t.longColumn("step").get(end));
            long lastStep = t.longColumn("step").get(end);
            minutes.append(trainingSeconds(i, lastStep) / 60);
            Table stepRows = steps.get(i);
            throughput.append(stepRows.doubleColumn("examples_per_sec")
                    .get(stepRows.rowCount() - 1));
            last.append(m.get(end));
            best.append(classifier ? m.max() : m.min());
            loss.append(t.doubleColumn("eval_loss").get(end));
        }
        return Table.create("runs", name, stepsDone, minutes, throughput, last, best, loss,
                config, dataset, seed, active, flops);
    }

    /**
     * Classifiers: test accuracy against epochs (left) and training minutes (right). Language
     * models: the training bits per character against steps and against training minutes, then
     * the validation bits per character against steps and minutes (see {@link ComparisonCharts}).
     */
    public List<XYChart> charts() {
        List<String> names = runs.stream().map(r -> r.getFileName().toString()).toList();
        return ComparisonCharts.of(names, epochs, steps, classifier);
    }

    /** Writes {@code summary.csv}, {@code summary.md} and {@code comparison.png} into {@code out}. */
    public void write(Path out) {
        Table summary = summary();
        RunFiles.writeAtomically(out.resolve(CSV), stream -> summary.write().csv(stream));
        byte[] md = toMarkdown(summary).getBytes(StandardCharsets.UTF_8);
        RunFiles.writeAtomically(out.resolve(MARKDOWN), stream -> stream.write(md));
        List<XYChart> charts = charts();
        ChartFiles.savePng(charts, charts.size() / 2, 2, out.resolve(PLOT));
    }

    /** The summary as a Markdown table, numbers rounded to 4 decimals (for the console). */
    public String summaryTable() {
        return toMarkdown(summary());
    }

    /** A table as a Markdown table, numbers with 4 significant decimals. */
    static String toMarkdown(Table table) {
        StringBuilder md = new StringBuilder("|");
        table.columnNames().forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|");
        table.columns().forEach(c -> md.append(c instanceof NumericColumn ? "---:|" : "---|"));
        md.append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            md.append('|');
            for (Column<?> c : table.columns()) {
                md.append(' ').append(format(c.get(r))).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "n/a"; // e.g. minutes of a log thinned to fewer step rows
        }
        return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d)
                : String.valueOf(value);
    }

    private static boolean hasValues(Table t, String column) {
        return ((NumericColumn<?>) t.column(column)).countMissing() < t.rowCount();
    }
}
