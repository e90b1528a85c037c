package moelab.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * Finished runs side by side (the charts of {@code moelab.train.RunComparison}), from each run's
 * metrics table split into step rows and epoch rows. Classifiers: test accuracy against epochs and
 * against training minutes. Language models: the training bits per character (task loss / ln 2,
 * {@value TrainingCharts#WINDOW}-step mean) against steps and against training minutes, then the
 * validation bits per character of every epoch end against steps (runs over texts of different
 * lengths end their epochs at different steps) and against training minutes.
 */
public final class ComparisonCharts {

    private ComparisonCharts() {}

    /**
     * The panels, two a row: two for classifiers, four for language models.
     *
     * @param names one label per run
     * @param epochs each run's epoch rows
     * @param steps each run's step rows
     * @param classifier whether the runs are classifiers (else language models)
     */
    public static List<XYChart> of(List<String> names, List<Table> epochs, List<Table> steps,
                                   boolean classifier) {
        if (classifier) {
            return evaluation(names, epochs, steps, "eval_accuracy", "test accuracy", "epoch");
        }
        List<XYChart> charts = new ArrayList<>(bitsPerCharacter(names, steps));
        charts.addAll(evaluation(names, epochs, steps, "eval_bpc", "validation bits per character",
                "step"));
        return charts;
    }

    /** An evaluation column of the epoch rows against {@code x} (epoch or step) and against minutes. */
    private static List<XYChart> evaluation(List<String> names, List<Table> epochs,
                                            List<Table> steps, String column, String label,
                                            String x) {
        XYChart byX = ChartStyle.linesWithLegendRows(label + " by " + x, x, label, names.size());
        XYChart byTime = ChartStyle.linesWithLegendRows(label + " by training wall-clock",
                "minutes", label, names.size());
        byTime.getStyler().setXAxisDecimalPattern("#.#");
        for (int i = 0; i < names.size(); i++) {
            Table t = epochs.get(i);
            double[] y = t.doubleColumn(column).asDoubleArray();
            byX.addSeries(names.get(i), t.longColumn(x).asDoubleArray(), y);
            Table s = steps.get(i);
            double[] minutes = new double[t.rowCount()];
            for (int r = 0; r < minutes.length; r++) {
                minutes[r] = minutesAt(s, t.longColumn("step").get(r),
                        t.doubleColumn("elapsed_s").get(r));
            }
            byTime.addSeries(names.get(i), minutes, y);
        }
        return List.of(ChartStyle.finish(byX), ChartStyle.finish(byTime));
    }

    /**
     * Training minutes (evaluations excluded) when step {@code step} ended, from its step row; a
     * log without that row (thinned for storage) falls back to the epoch row's clock.
     */
    private static double minutesAt(Table steps, long step, double epochSeconds) {
        Table at = steps.where(steps.longColumn("step").isEqualTo(step));
        return (at.rowCount() == 0 ? epochSeconds : at.doubleColumn("elapsed_s").get(0)) / 60;
    }

    private static List<XYChart> bitsPerCharacter(List<String> names, List<Table> steps) {
        String label = "training bits per character";
        XYChart byStep = ChartStyle.linesWithLegendRows(label + " (" + TrainingCharts.WINDOW
                + "-step mean)", "step", label, names.size());
        XYChart byTime = ChartStyle.linesWithLegendRows(label + " by training wall-clock",
                "minutes", label, names.size());
        byTime.getStyler().setXAxisDecimalPattern("#.#");
        double lowest = Double.MAX_VALUE;
        double highestFinal = 0;
        for (int i = 0; i < names.size(); i++) {
            Table t = steps.get(i);
            double[] step = t.longColumn("step").asDoubleArray();
            double[] bpc = Series.movingMean(step, t.doubleColumn("task_loss")
                    .divide(Math.log(2)).asDoubleArray(), TrainingCharts.WINDOW);
            byStep.addSeries(names.get(i), step, bpc).setMarker(SeriesMarkers.NONE);
            byTime.addSeries(names.get(i), t.doubleColumn("elapsed_s").divide(60).asDoubleArray(),
                    bpc).setMarker(SeriesMarkers.NONE);
            lowest = Math.min(lowest, Arrays.stream(bpc).min().orElse(0));
            highestFinal = Math.max(highestFinal, bpc[bpc.length - 1]);
        }
        for (XYChart chart : List.of(byStep, byTime)) {
            // the first steps (8 bits and more) would flatten the part where the models differ
            chart.getStyler().setYAxisMin(Math.floor(lowest * 10) / 10);
            chart.getStyler().setYAxisMax(Math.ceil(highestFinal * 1.5 * 10) / 10);
        }
        return List.of(ChartStyle.finish(byStep), ChartStyle.finish(byTime));
    }
}
