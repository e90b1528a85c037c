package moelab.inspect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of moelab's charts: a few round ticks on a step or epoch axis that starts at 0 (no
 * "1, 269, 537" labels running into each other), the legend under the plot (never over the last
 * points), and a palette of eight distinct colours, each with its own marker and dash pattern so
 * that series stay apart where they overlap and in grey print.
 */
public final class ChartStyle {

    /** Distinct colours for up to eight series (the default palette repeats a yellow). */
    public static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189),
        new Color(140, 86, 75), new Color(227, 119, 194), new Color(23, 190, 207)};

    /** A marker per series, in palette order. */
    public static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
        SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL};

    /** A solid line. */
    public static final BasicStroke SOLID = new BasicStroke(1.6f);

    /** A dashed line, for a series drawn over another. */
    public static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10f, new float[] {7f, 4f}, 0f);

    /** Pixels a legend row takes (the default legend font and padding). */
    private static final int LEGEND_ROW = 20;

    private ChartStyle() {}

    /**
     * A line chart whose x-axis counts steps, epochs or minutes: whole numbers,
     * legend below; call {@link #finish} when the series are added.
     */
    public static XYChart lines(String title, String xTitle, String yTitle) {
        return lines(title, xTitle, yTitle, 440, Styler.LegendLayout.Horizontal);
    }

    /**
     * A line chart for {@code series} named series whose names may not fit in one row (runs side
     * by side): the legend lists one name a row under the plot, and the chart grows by a row's
     * height per name so that the plot keeps its size.
     */
    public static XYChart linesWithLegendRows(String title, String xTitle, String yTitle,
                                              int series) {
        return lines(title, xTitle, yTitle, 440 + LEGEND_ROW * series,
                Styler.LegendLayout.Vertical);
    }

    private static XYChart lines(String title, String xTitle, String yTitle, int height,
                                 Styler.LegendLayout legend) {
        XYChart chart = new XYChartBuilder().width(640).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(legend);
        chart.getStyler().setXAxisDecimalPattern("#"); // whole steps and epochs
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setSeriesColors(COLORS);
        chart.getStyler().setSeriesMarkers(MARKERS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    /**
     * Call when every series is added: ticks at round numbers. XChart puts a tick on every data
     * point when the x values are equally spaced (steps 1, 2, 3, ...: labels run into each other);
     * an axis starting a hair below 0 makes it choose round steps (0, 500, 1000, ...) instead.
     * That first tick is labelled "0", not "-0", with the chart's x-axis decimal pattern.
     */
    public static XYChart finish(XYChart chart) {
        double max = chart.getSeriesMap().values().stream()
                .flatMapToDouble(s -> java.util.Arrays.stream(s.getXData()))
                .filter(Double::isFinite).max().orElse(1);
        chart.getStyler().setXAxisMin(-Math.max(max, 1) / 1000);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(
                tickLabels(chart.getStyler().getXAxisDecimalPattern()));
        return chart;
    }

    /**
     * Tick labels in a decimal pattern ("#", "#.#"), where a value that rounds to zero is "0"
     * (DecimalFormat writes -0.0001 as "-0").
     */
    static Function<Double, String> tickLabels(String pattern) {
        DecimalFormat format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(
                Locale.ROOT));
        String zero = format.format(0.0);
        return value -> {
            String label = format.format(value);
            return label.equals("-" + zero) ? zero : label;
        };
    }

    /** A bar chart (for one value per category, e.g. a run with a single epoch), legend below. */
    public static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(440).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setSeriesColors(COLORS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setDecimalPattern("#.###");
        return chart;
    }
}
