package moelab.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import moelab.inspect.ChartFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * Training metrics written to {@code metrics.csv} as the run goes, and drawn to {@code curves.png}.
 *
 * <p>One table, two kinds of rows: {@code kind=step} after every optimiser step (learning rate,
 * total / task / aux loss, global gradient norm before clipping, batch accuracy for classifiers),
 * and {@code kind=epoch} at each epoch end (mean training loss and accuracy over the epoch, and the
 * evaluation metrics: loss, accuracy for classifiers, bits per character and perplexity for
 * language models). Cells that do not apply are empty. Columns:
 *
 * <pre>kind, epoch, step, lr, loss, task_loss, aux_loss, grad_norm, accuracy,
 * eval_loss, eval_accuracy, eval_bpc, eval_perplexity, examples_per_sec, elapsed_s</pre>
 *
 * <p>Epochs are counted from 1; {@code step} is the number of optimiser steps done.
 */
public final class MetricsLog {

    /** File name inside the output directory. */
    public static final String FILE = "metrics.csv";

    /** Plot file name inside the output directory. */
    public static final String PLOT = "curves.png";

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("kind", "epoch", "step", "lr", "loss",
            "task_loss", "aux_loss", "grad_norm", "accuracy", "eval_loss", "eval_accuracy",
            "eval_bpc", "eval_perplexity", "examples_per_sec", "elapsed_s");

    private final Path outDir;
    private final CsvFile csv;

    /** A log writing into {@code outDir}. */
    public MetricsLog(Path outDir) {
        this.outDir = outDir;
        this.csv = new CsvFile(outDir.resolve(FILE), COLUMNS);
    }

    /** Starts a fresh {@code metrics.csv}. */
    public void start() {
        csv.create();
    }

    /**
     * Continues an existing log after a resume from step {@code step}: rows of later steps (the
     * ones the resumed run will redo) are removed.
     *
     * @return the training seconds logged at {@code step}, where the resumed run's clock goes on
     *     (0 when no step row is left)
     */
    public double resumeAt(long step) {
        int stepColumn = csv.column("step");
        csv.retain(cells -> Long.parseLong(cells[stepColumn]) <= step);
        Table all = table();
        Table steps = all.where(all.stringColumn("kind").isEqualTo("step"));
        return steps.rowCount() == 0 ? 0
                : steps.doubleColumn("elapsed_s").get(steps.rowCount() - 1);
    }

    /**
     * Logs one optimiser step.
     *
     * @param epoch 1-based epoch
     * @param step steps done, including this one
     * @param accuracy batch accuracy, NaN for language models
     */
    public void step(int epoch, long step, double lr, double loss, double taskLoss, double auxLoss,
                     double gradNorm, double accuracy, double examplesPerSec, double elapsedSeconds) {
        csv.append("step", epoch, step, lr, loss, taskLoss, auxLoss, gradNorm, accuracy, null, null,
                null, null, examplesPerSec, elapsedSeconds);
    }

    /**
     * Logs the end of an epoch.
     *
     * @param epoch 1-based epoch
     * @param step steps done
     * @param trainLoss mean training loss over the epoch's steps
     * @param trainAccuracy training accuracy over the epoch, NaN for language models
     * @param eval evaluation on the held-out split, or null when there is none
     */
    public void epoch(int epoch, long step, double lr, double trainLoss, double trainAccuracy,
                      Evaluation eval, double examplesPerSec, double elapsedSeconds) {
        csv.append("epoch", epoch, step, lr, trainLoss, null, null, null, trainAccuracy,
                eval == null ? null : eval.loss(), eval == null ? null : eval.accuracy(),
                eval == null ? null : eval.bitsPerCharacter(),
                eval == null ? null : eval.perplexity(), examplesPerSec, elapsedSeconds);
    }

    /** {@code metrics.csv} as a table. */
    public Table table() {
        return csv.read(name -> switch (name) {
            case "kind" -> ColumnType.STRING;
            case "epoch", "step" -> ColumnType.LONG;
            default -> ColumnType.DOUBLE;
        });
    }

    /** Path of {@code metrics.csv}. */
    public Path csvPath() {
        return csv.path();
    }

    /**
     * Draws {@code curves.png}: training and evaluation loss against steps, and beside it the
     * accuracy (classifiers) or the evaluation bits per character (language models).
     *
     * @return the PNG's path
     */
    public Path plot() {
        Table all = table();
        Table steps = all.where(all.stringColumn("kind").isEqualTo("step"));
        Table epochs = all.where(all.stringColumn("kind").isEqualTo("epoch"));

        XYChart loss = chart("Loss", "step", "cross-entropy (+ aux)");
        addSeries(loss, "train loss", steps, "step", "loss", false);
        addSeries(loss, "train task loss", steps, "step", "task_loss", false);
        addSeries(loss, "eval loss", epochs, "step", "eval_loss", true);

        boolean classifier = hasValues(steps, "accuracy") || hasValues(epochs, "eval_accuracy");
        XYChart second;
        if (classifier) {
            second = chart("Accuracy", "step", "accuracy");
            addSeries(second, "train (epoch)", epochs, "step", "accuracy", true);
            addSeries(second, "eval", epochs, "step", "eval_accuracy", true);
        } else {
            second = chart("Bits per character", "step", "bits");
            addSeries(second, "eval bpc", epochs, "step", "eval_bpc", true);
            addSeries(second, "train bpc", steps, "step", "task_loss", false,
                    1 / Math.log(2));
        }
        Path png = outDir.resolve(PLOT);
        ChartFiles.savePng(List.of(loss, second), 1, 2, png);
        return png;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return chart;
    }

    private static boolean hasValues(Table t, String column) {
        return t.rowCount() > 0 && ((NumericColumn<?>) t.column(column)).countMissing()
                < t.rowCount();
    }

    private static void addSeries(XYChart chart, String name, Table t, String x, String y,
                                  boolean markers) {
        addSeries(chart, name, t, x, y, markers, 1);
    }

    private static void addSeries(XYChart chart, String name, Table t, String x, String y,
                                  boolean markers, double scale) {
        NumericColumn<?> xs = (NumericColumn<?>) t.column(x);
        NumericColumn<?> ys = (NumericColumn<?>) t.column(y);
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!ys.isMissing(i) && !xs.isMissing(i)) {
                px.add(xs.getDouble(i));
                py.add(ys.getDouble(i) * scale);
            }
        }
        if (px.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, px, py);
        series.setMarker(markers || px.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
}
