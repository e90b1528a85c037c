package moelab.train;

import java.nio.file.Path;
import java.util.List;
import moelab.inspect.TrainingCharts;
import tech.tablesaw.api.ColumnType;
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
     * Draws {@code curves.png} ({@link TrainingCharts#curves}): the loss against steps, and beside
     * it the accuracy (classifiers) or the bits per character (language models).
     *
     * @return the PNG's path
     */
    public Path plot() {
        return TrainingCharts.saveCurves(table(), outDir.resolve(PLOT));
    }
}
