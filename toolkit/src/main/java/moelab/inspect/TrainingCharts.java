package moelab.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * The charts of a training run, drawn from its logs (the tables of {@code moelab.train.MetricsLog}
 * and {@code RoutingLog}):
 *
 * <ul>
 *   <li>{@link #curves}: the loss against steps ({@value #WINDOW}-step means of the total and the
 *       task loss, the evaluation loss per epoch), the MoE aux loss on its own panel, and the
 *       accuracy (classifiers) or the bits per character (language models) — as bars when the
 *       run has a single epoch, since one point per series is no curve;
 *   <li>{@link #routing}: each expert's share of the kept items, one panel per MoE layer over
 *       epochs, or, after a single epoch, one bar chart of every layer's shares.
 * </ul>
 */
public final class TrainingCharts {

    /** Steps averaged in the training-loss curves. */
    public static final int WINDOW = 50;

    private TrainingCharts() {}

    /** Draws {@link #curves} into {@code png}, the panels side by side. */
    public static Path saveCurves(Table metrics, Path png) {
        List<Chart<?, ?>> charts = curves(metrics);
        ChartFiles.savePng(charts, 1, charts.size(), png);
        return png;
    }

    /** Draws {@link #routing} into {@code png}, two panels a row; null when there is no layer. */
    public static Path saveRouting(Table routing, Path png) {
        List<Chart<?, ?>> charts = routing(routing);
        if (charts.isEmpty()) {
            return null;
        }
        int columns = Math.min(2, charts.size());
        ChartFiles.savePng(charts, (charts.size() + columns - 1) / columns, columns, png);
        return png;
    }

    /**
     * The loss panel, the aux-loss panel (MoE models only), and the accuracy (or bits per
     * character) panel of a metrics table.
     */
    public static List<Chart<?, ?>> curves(Table metrics) {
        Table steps = rows(metrics, "step");
        Table epochs = rows(metrics, "epoch");
        boolean classifier = hasValues(steps, "accuracy") || hasValues(epochs, "eval_accuracy");
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(loss(steps, epochs));
        if (hasNonZero(steps, "aux_loss")) {
            charts.add(auxLoss(steps));
        }
        charts.add(classifier ? accuracy(epochs) : bitsPerCharacter(steps, epochs));
        return charts;
    }

    private static XYChart loss(Table steps, Table epochs) {
        XYChart chart = ChartStyle.lines("Loss (training: " + WINDOW + "-step mean)", "step",
                "cross-entropy (+ aux)");
        line(chart, "train loss", steps, "loss", 1, ChartStyle.SOLID);
        if (hasNonZero(steps, "aux_loss")) { // else the task loss is the loss
            line(chart, "train task loss", steps, "task_loss", 1, ChartStyle.DASHED);
        }
        points(chart, "eval loss", epochs, "eval_loss", 1);
        return ChartStyle.finish(chart);
    }

    /** The weighted sum of the MoE aux losses: on its own axis, a thousand times smaller. */
    private static XYChart auxLoss(Table steps) {
        XYChart chart = ChartStyle.lines("Aux loss (" + WINDOW + "-step mean)", "step",
                "w_aux · Σ aux losses");
        chart.getStyler().setYAxisDecimalPattern("0.#####");
        line(chart, "aux loss", steps, "aux_loss", 1, ChartStyle.SOLID);
        chart.getStyler().setLegendVisible(false);
        return ChartStyle.finish(chart);
    }

    private static Chart<?, ?> accuracy(Table epochs) {
        if (epochs.rowCount() == 1) {
            CategoryChart bars = ChartStyle.bars("Accuracy after the one epoch", "", "accuracy");
            bars.addSeries("accuracy", List.of("train (epoch mean)", "eval"),
                    List.of(value(epochs, "accuracy"), value(epochs, "eval_accuracy")));
            bars.getStyler().setLegendVisible(false);
            return bars;
        }
        XYChart chart = ChartStyle.lines("Accuracy", "step", "accuracy");
        points(chart, "train (epoch mean)", epochs, "accuracy", 1);
        points(chart, "eval", epochs, "eval_accuracy", 1);
        return ChartStyle.finish(chart);
    }

    private static XYChart bitsPerCharacter(Table steps, Table epochs) {
        XYChart chart = ChartStyle.lines("Bits per character", "step", "bits");
        line(chart, "train bpc (" + WINDOW + "-step mean)", steps, "task_loss", 1 / Math.log(2),
                ChartStyle.SOLID);
        points(chart, "eval bpc", epochs, "eval_bpc", 1);
        return ChartStyle.finish(chart);
    }

    /** Each expert's share of the kept items, per layer; see the class comment. */
    public static List<Chart<?, ?>> routing(Table routing) {
        Set<String> layers = new LinkedHashSet<>(routing.stringColumn("layer").asList());
        Set<Integer> epochs = new LinkedHashSet<>(routing.intColumn("epoch").asList());
        if (layers.isEmpty()) {
            return List.of();
        }
        if (epochs.size() == 1) {
            return List.of(loadBars(routing, layers));
        }
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (String layer : layers) {
            Table rows = routing.where(routing.stringColumn("layer").isEqualTo(layer));
            XYChart chart = ChartStyle.lines("Expert load: " + layer, "epoch",
                    "share of kept items");
            // one expert a row beside the plot: eight or more names do not fit in a row below
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            chart.getStyler().setYAxisDecimalPattern("0.###"); // "0.08", not ".08"
            for (int e : new LinkedHashSet<>(rows.intColumn("expert").asList())) {
                Table expert = rows.where(rows.intColumn("expert").isEqualTo(e));
                chart.addSeries("expert " + e, expert.intColumn("epoch").asList(),
                        expert.doubleColumn("load_fraction").asList());
            }
            charts.add(ChartStyle.finish(chart));
        }
        return charts;
    }

    /**
     * One bar per (layer, expert) after a single epoch. The axis has the experts of the widest
     * layer; a layer with fewer experts (Sparse-MLP's MoE_s beside MoE_c) has no bar, a null
     * value, past its own last expert.
     */
    private static CategoryChart loadBars(Table routing, Set<String> layers) {
        CategoryChart bars = ChartStyle.bars("Expert load after the epoch", "expert",
                "share of kept items");
        bars.getStyler().setLabelsVisible(false);
        bars.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        List<Integer> experts = new ArrayList<>();
        for (int e = 0; e <= routing.intColumn("expert").max(); e++) {
            experts.add(e);
        }
        for (String layer : layers) {
            Table rows = routing.where(routing.stringColumn("layer").isEqualTo(layer));
            List<Double> share = new ArrayList<>(Collections.nCopies(experts.size(), null));
            for (int r = 0; r < rows.rowCount(); r++) {
                share.set(rows.intColumn("expert").get(r), rows.doubleColumn("load_fraction")
                        .get(r));
            }
            bars.addSeries(layer, experts, share);
        }
        return bars;
    }

    /** A {@value #WINDOW}-step mean of a step column, as a line without markers. */
    private static void line(XYChart chart, String name, Table t, String column, double scale,
                                 java.awt.BasicStroke stroke) {
        double[][] xy = present(t, column, scale);
        XYSeries series = chart.addSeries(name, xy[0], Series.movingMean(xy[0], xy[1], WINDOW));
        series.setMarker(xy[0].length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setLineStyle(stroke);
    }

    /** Epoch values as points joined by a line (a single point when there is one epoch). */
    private static void points(XYChart chart, String name, Table t, String column, double scale) {
        double[][] xy = present(t, column, scale);
        if (xy[0].length > 0) {
            chart.addSeries(name, xy[0], xy[1]);
        }
    }

    /** (steps, values · scale) of the rows where {@code column} has a value. */
    private static double[][] present(Table t, String column, double scale) {
        NumericColumn<?> xs = (NumericColumn<?>) t.column("step");
        NumericColumn<?> ys = (NumericColumn<?>) t.column(column);
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!ys.isMissing(i) && !xs.isMissing(i)) {
                kept.add(new double[] {xs.getDouble(i), ys.getDouble(i) * scale});
            }
        }
        double[][] xy = new double[2][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            xy[0][i] = kept.get(i)[0];
            xy[1][i] = kept.get(i)[1];
        }
        return xy;
    }

    private static Table rows(Table metrics, String kind) {
        return metrics.where(metrics.stringColumn("kind").isEqualTo(kind));
    }

    private static double value(Table t, String column) {
        return ((NumericColumn<?>) t.column(column)).getDouble(0);
    }

    private static boolean hasValues(Table t, String column) {
        return t.rowCount() > 0 && ((NumericColumn<?>) t.column(column)).countMissing()
                < t.rowCount();
    }

    private static boolean hasNonZero(Table t, String column) {
        double[] values = present(t, column, 1)[1];
        for (double v : values) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}
