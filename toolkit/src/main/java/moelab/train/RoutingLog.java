package moelab.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import moelab.inspect.ChartFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Per-epoch routing statistics of every MoE layer, written to {@code routing.csv} and drawn to
 * {@code routing.png} (one panel per layer: each expert's share of the kept items over epochs; a
 * balanced layer has every line at {@code 1/E}, a collapsed one has one line near 1).
 *
 * <p>One row per (epoch, layer, expert):
 *
 * <pre>epoch, step, layer, expert, items, load_fraction, drop_rate, router_entropy</pre>
 *
 * {@code items} is how many items the expert kept over the epoch's training steps, {@code
 * load_fraction} its share of the layer's kept items; {@code drop_rate} (dropped / assigned) and
 * {@code router_entropy} (mean per item, nats; {@code ln E} is uniform) are per layer, repeated on
 * each of its rows.
 */
public final class RoutingLog {

    /** File name inside the output directory. */
    public static final String FILE = "routing.csv";

    /** Plot file name inside the output directory. */
    public static final String PLOT = "routing.png";

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("epoch", "step", "layer", "expert", "items",
            "load_fraction", "drop_rate", "router_entropy");

    private final Path outDir;
    private final CsvFile csv;

    /** A log writing into {@code outDir}. */
    public RoutingLog(Path outDir) {
        this.outDir = outDir;
        this.csv = new CsvFile(outDir.resolve(FILE), COLUMNS);
    }

    /** Starts a fresh {@code routing.csv}. */
    public void start() {
        csv.create();
    }

    /**
     * Continues an existing log after resuming inside or at the start of 1-based epoch {@code
     * epoch}: rows of that epoch and later are removed (the resumed run writes them again).
     */
    public void resumeAt(int epoch) {
        int epochColumn = csv.column("epoch");
        csv.retain(cells -> Integer.parseInt(cells[epochColumn]) < epoch);
    }

    /**
     * Appends one epoch's statistics.
     *
     * @param epoch 1-based epoch
     * @param step steps done at the epoch's end
     */
    public void epoch(int epoch, long step, List<RoutingStats.LayerSummary> layers) {
        for (RoutingStats.LayerSummary layer : layers) {
            for (int e = 0; e < layer.load().length; e++) {
                csv.append(epoch, step, layer.layer(), e, layer.load()[e], layer.loadFraction(e),
                        layer.dropRate(), layer.meanEntropy());
            }
        }
    }

    /** {@code routing.csv} as a table. */
    public Table table() {
        return csv.read(name -> switch (name) {
            case "layer" -> ColumnType.STRING;
            case "epoch", "expert" -> ColumnType.INTEGER;
            case "step", "items" -> ColumnType.LONG;
            default -> ColumnType.DOUBLE;
        });
    }

    /** Path of {@code routing.csv}. */
    public Path csvPath() {
        return csv.path();
    }

    /**
     * Draws {@code routing.png}, one panel per layer (two panels a row).
     *
     * @return the PNG's path, or null when no MoE layer has been logged
     */
    public Path plot() {
        Table t = table();
        Set<String> layers = new LinkedHashSet<>(t.stringColumn("layer").asList());
        if (layers.isEmpty()) {
            return null;
        }
        List<XYChart> charts = new ArrayList<>();
        for (String layer : layers) {
            Table rows = t.where(t.stringColumn("layer").isEqualTo(layer));
            XYChart chart = new XYChartBuilder().width(560).height(380)
                    .title("Expert load: " + layer).xAxisTitle("epoch")
                    .yAxisTitle("share of kept items").build();
            Set<Integer> experts = new LinkedHashSet<>(rows.intColumn("expert").asList());
            for (int e : experts) {
                Table expertRows = rows.where(rows.intColumn("expert").isEqualTo(e));
                List<Integer> epochs = expertRows.intColumn("epoch").asList();
                List<Double> share = expertRows.doubleColumn("load_fraction").asList();
                XYSeries series = chart.addSeries("expert " + e, epochs, share);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        int columns = Math.min(2, charts.size());
        int rows = (charts.size() + columns - 1) / columns;
        Path png = outDir.resolve(PLOT);
        ChartFiles.savePng(charts, rows, columns, png);
        return png;
    }
}
