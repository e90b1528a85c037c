package moelab.train;

import java.nio.file.Path;
import java.util.List;
import moelab.inspect.TrainingCharts;
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
     * Draws {@code routing.png} ({@link TrainingCharts#routing}).
     *
     * @return the PNG's path, or null when no MoE layer has been logged
     */
    public Path plot() {
        return TrainingCharts.saveRouting(table(), outDir.resolve(PLOT));
    }
}
