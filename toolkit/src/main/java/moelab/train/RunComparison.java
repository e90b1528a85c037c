package moelab.train;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import moelab.inspect.ChartFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Finished runs side by side, read from their {@code metrics.csv}: a summary table (one row per
 * run: steps, training wall-clock, throughput, the last and the best evaluation) and a chart of
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

    /** Distinct colours for up to eight runs (the default palette repeats a yellow). */
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189),
        new Color(140, 86, 75), new Color(227, 119, 194), new Color(23, 190, 207)};

    private final List<Path> runs;
    private final List<Table> epochs;
    private final List<Table> steps;
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
        for (int i = 0; i < runs.size(); i++) {
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
        return Table.create("runs", name, stepsDone, minutes, throughput, last, best, loss);
    }

    /**
     * Classifiers: test accuracy against epochs (left) and training minutes (right). Language
     * models, evaluated once per epoch: the training bits per character (task loss / ln 2, mean
     * of the last {@value #WINDOW} steps) against steps and against training minutes.
     */
    public List<XYChart> charts() {
        return classifier ? evaluationCharts() : trainingBpcCharts();
    }

    /** Steps averaged in the training curves of language models. */
    static final int WINDOW = 50;

    private List<XYChart> evaluationCharts() {
        String label = "test accuracy";
        XYChart byEpoch = chart(label + " by epoch", "epoch", label);
        XYChart byTime = chart(label + " by training wall-clock", "minutes", label);
        for (int i = 0; i < runs.size(); i++) {
            Table t = epochs.get(i);
            String name = runs.get(i).getFileName().toString();
            double[] y = t.doubleColumn(metric()).asDoubleArray();
            byEpoch.addSeries(name, t.longColumn("epoch").asDoubleArray(), y);
            int run = i;
            double[] minutes = t.longColumn("step").asList().stream()
                    .mapToDouble(step -> trainingSeconds(run, step) / 60).toArray();
            byTime.addSeries(name, minutes, y);
        }
        return List.of(byEpoch, byTime);
    }

    private List<XYChart> trainingBpcCharts() {
        String label = "training bits per character";
        XYChart byStep = chart(label + " (" + WINDOW + "-step mean) by step", "step", label);
        XYChart byTime = chart(label + " by training wall-clock", "minutes", label);
        double lowest = Double.MAX_VALUE;
        double highestFinal = 0;
        for (int i = 0; i < runs.size(); i++) {
            Table t = steps.get(i);
            String name = runs.get(i).getFileName().toString();
            double[] bpc = movingMean(t.doubleColumn("task_loss").divide(Math.log(2))
                    .asDoubleArray());
            byStep.addSeries(name, t.longColumn("step").asDoubleArray(), bpc).setMarker(
                    SeriesMarkers.NONE);
            byTime.addSeries(name, t.doubleColumn("elapsed_s").divide(60).asDoubleArray(), bpc)
                    .setMarker(SeriesMarkers.NONE);
            lowest = Math.min(lowest, Arrays.stream(bpc).min().orElse(0));
            highestFinal = Math.max(highestFinal, bpc[bpc.length - 1]);
        }
        for (XYChart chart : List.of(byStep, byTime)) {
            // the first steps (8 bits and more) would flatten the part where the models differ
            chart.getStyler().setYAxisMin(Math.floor(lowest * 10) / 10);
            chart.getStyler().setYAxisMax(Math.ceil(highestFinal * 1.5 * 10) / 10);
        }
        return List.of(byStep, byTime);
    }

    /** Mean of each value and the up to {@code WINDOW - 1} values before it. */
    static double[] movingMean(double[] values) {
        double[] mean = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] - (i >= WINDOW ? values[i - WINDOW] : 0);
            mean[i] = sum / Math.min(i + 1, WINDOW);
        }
        return mean;
    }

    private XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("#.#");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setSeriesColors(COLORS);
        return chart;
    }

    /** Writes {@code summary.csv}, {@code summary.md} and {@code comparison.png} into {@code out}. */
    public void write(Path out) {
        Table summary = summary();
        try {
            Files.createDirectories(out);
            Path csv = Files.createTempFile(out.toAbsolutePath(), ".summary", ".csv");
            summary.write().csv(csv.toFile());
            replace(out.resolve(CSV), csv);
            Path md = Files.createTempFile(out.toAbsolutePath(), ".summary", ".md");
            replace(out.resolve(MARKDOWN), Files.writeString(md, toMarkdown(summary),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison into " + out, e);
        }
        ChartFiles.savePng(charts(), 1, 2, out.resolve(PLOT));
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
        return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d)
                : String.valueOf(value);
    }

    /** Moves a finished temporary file over {@code target} in one step. */
    private static void replace(Path target, Path finished) throws IOException {
        Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean hasValues(Table t, String column) {
        return ((NumericColumn<?>) t.column(column)).countMissing() < t.rowCount();
    }
}
