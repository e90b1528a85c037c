package moelab.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * What the training loop reports, and where: a row per step and per epoch in {@code metrics.csv}
 * ({@link MetricsLog}), the routing rows in {@code routing.csv} ({@link RoutingLog}), the progress
 * bar ({@link ProgressLine}), one line per epoch on the console, and both charts redrawn at each
 * epoch end.
 */
final class RunLog {

    private final MetricsLog metrics;
    private final RoutingLog routing;
    private final ProgressLine progress;
    private final PrintStream out;
    private boolean chartsFailed;

    RunLog(Path outDir, PrintStream out, ProgressLine.Mode mode) {
        this.metrics = new MetricsLog(outDir);
        this.routing = new RoutingLog(outDir);
        this.progress = new ProgressLine(out, mode, System::nanoTime);
        this.out = out;
    }

    /**
     * Starts fresh logs, or, after a resume at {@code state}, drops the rows the run will redo.
     *
     * @return the training seconds already logged (0 for a fresh run)
     */
    double open(Checkpoint.State state, boolean resumed) {
        if (!resumed) {
            metrics.start();
            routing.start();
            return 0;
        }
        routing.resumeAt(state.epoch() + 1);
        return metrics.resumeAt(state.step());
    }

    /** A console line. */
    void say(String line) {
        out.println(line);
    }

    /** (Re)starts the progress bar at {@code step} of {@code total}. */
    void startProgress(long step, long total) {
        progress.start("train", step, total);
    }

    /** Ends the progress bar's line. */
    void finishProgress() {
        progress.finish();
    }

    /** Logs one optimiser step and moves the progress bar. */
    void step(int epoch, int epochs, long step, double lr, TrainStep.Metrics m,
              double examplesPerSec, double elapsedSeconds) {
        metrics.step(epoch, step, lr, m.loss(), m.taskLoss(), m.auxLoss(), m.gradNorm(),
                m.accuracy(), examplesPerSec, elapsedSeconds);
        progress.update(step, String.format(Locale.ROOT, "epoch %d/%d  loss %.4f%s", epoch, epochs,
                m.loss(), Double.isNaN(m.accuracy()) ? ""
                        : String.format(Locale.ROOT, "  acc %.3f", m.accuracy())));
    }

    /**
     * Logs the end of 1-based epoch {@code epoch}: its row, the routing rows, the charts and the
     * console line.
     */
    void epoch(int epoch, int epochs, long step, long totalSteps, double lr, Evaluation eval,
               List<RoutingStats.LayerSummary> layers, double examplesPerSec, double elapsed) {
        double[] train = epochMeans(metrics.table(), epoch);
        metrics.epoch(epoch, step, lr, train[0], train[1], eval, examplesPerSec, elapsed);
        routing.epoch(epoch, step, layers);
        drawCharts();
        out.println(String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  train loss %.4f%s%s",
                epoch, epochs, step, totalSteps, train[0], Double.isNaN(train[1]) ? ""
                        : String.format(Locale.ROOT, " acc %.4f", train[1]),
                eval == null ? "" : "  |  eval " + eval));
    }

    /**
     * Draws curves.png and routing.png; a machine that cannot draw (a Java runtime without
     * java.desktop, or without the system's font libraries) gets one line and a run without
     * pictures instead of a crash: metrics.csv and routing.csv hold the same data.
     */
    private void drawCharts() {
        if (chartsFailed) {
            return;
        }
        try {
            metrics.plot();
            routing.plot();
        } catch (RuntimeException | LinkageError | InternalError e) {
            chartsFailed = true;
            out.println("charts skipped (cannot draw here: " + e + "); metrics.csv and routing.csv"
                    + " are complete");
        }
    }

    /** Mean training loss and accuracy of a 1-based epoch, from its step rows. */
    private static double[] epochMeans(Table metrics, int epoch) {
        Table rows = metrics.where(metrics.stringColumn("kind").isEqualTo("step")
                .and(metrics.longColumn("epoch").isEqualTo(epoch)));
        DoubleColumn loss = rows.doubleColumn("loss").removeMissing();
        DoubleColumn accuracy = rows.doubleColumn("accuracy").removeMissing();
        return new double[] {
            loss.size() == 0 ? Double.NaN : loss.mean(),
            accuracy.size() == 0 ? Double.NaN : accuracy.mean()
        };
    }
}
