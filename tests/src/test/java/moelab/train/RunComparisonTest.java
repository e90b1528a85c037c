package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import moelab.inspect.Series;
import moelab.inspect.TrainingCharts;
import moelab.models.ModelConfig;
import moelab.models.ModelConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Table;

class RunComparisonTest {

    /** A run of two epochs whose evaluation accuracies are {@code first} then {@code second}. */
    private static Path classifierRun(Path root, String name, double first, double second) {
        Path dir = root.resolve(name);
        MetricsLog log = new MetricsLog(dir);
        log.start();
        log.step(1, 100, 1e-3, 0.9, 0.9, 0, 1, 0.7, 640, 50);
        log.epoch(1, 100, 1e-3, 0.9, 0.7, new Evaluation(1000, 1000, 0.6, first, false), 500, 60);
        log.step(2, 200, 1e-3, 0.5, 0.5, 0, 1, 0.8, 640, 100);
        log.epoch(2, 200, 1e-3, 0.5, 0.8, new Evaluation(1000, 1000, 0.4, second, false), 500, 120);
        return dir;
    }

    @Test
    void summarisesLastAndBestAccuracyAndDrawsTheChart(@TempDir Path root) throws Exception {
        Path a = classifierRun(root, "dense", 0.85, 0.84);
        Path b = classifierRun(root, "sparse", 0.86, 0.90);
        RunComparison comparison = new RunComparison(List.of(a, b));
        assertThat(comparison.metric()).isEqualTo("eval_accuracy");

        Table summary = comparison.summary();
        assertThat(summary.stringColumn("run").asList()).containsExactly("dense", "sparse");
        assertThat(summary.doubleColumn("eval_accuracy").asList()).containsExactly(0.84, 0.90);
        assertThat(summary.doubleColumn("best_eval_accuracy").asList()).containsExactly(0.85, 0.90);
        // training wall-clock: the last step ended at 100 s; the evaluation after it is not counted
        assertThat(summary.doubleColumn("minutes").get(0)).isCloseTo(100 / 60.0, within(1e-9));
        assertThat(summary.doubleColumn("examples_per_sec").get(0)).isEqualTo(640.0);
        assertThat(summary.longColumn("steps").get(1)).isEqualTo(200L);

        Path out = root.resolve("cmp");
        comparison.write(out);
        assertThat(Files.readString(out.resolve(RunComparison.MARKDOWN)))
                .contains("| run | steps | minutes |").contains("| sparse | 200 | 1.6667 |");
        assertThat(Files.readAllLines(out.resolve(RunComparison.CSV))).hasSize(3);
        assertThat(Files.size(out.resolve(RunComparison.PLOT))).isGreaterThan(5_000);
    }

    @Test
    void summaryNamesEachRunsConfigDatasetSeedAndCostFromItsRunJson(@TempDir Path root) {
        ModelConfig dense = ModelConfig.byName("mixer-tiny-eqflop");
        ModelConfig sparse = ModelConfigs.override(ModelConfig.byName("sparse-mlp-tiny"),
                List.of("moe.experts=8"));
        Path a = classifierRun(root, "dense-s3", 0.85, 0.84);
        Path b = classifierRun(root, "sparse-s4", 0.86, 0.90);
        Path c = classifierRun(root, "no-description", 0.8, 0.81);
        new RunDescription(TrainConfig.builder().optModel(dense.name()).optDataset("fashion-mnist")
                .optSeed(3).build(), dense).write(a);
        new RunDescription(TrainConfig.builder().optModel(sparse.name()).optDataset("fashion-mnist")
                .optSeed(4).build(), sparse).write(b);

        Table summary = new RunComparison(List.of(a, b, c)).summary();
        assertThat(summary.stringColumn("config").asList())
                .containsExactly("mixer-tiny-eqflop", "sparse-mlp-tiny (modified)", "");
        assertThat(summary.stringColumn("dataset").get(0)).isEqualTo("fashion-mnist");
        assertThat(summary.longColumn("seed").get(1)).isEqualTo(4L);
        assertThat(summary.longColumn("flops_per_example").get(0)).isEqualTo(dense.cost().flops());
        assertThat(summary.longColumn("active_parameters").get(1))
                .isEqualTo(sparse.cost().activeParameters());
        assertThat(summary.longColumn("seed").isMissing(2)).isTrue();
        assertThat(RunComparison.toMarkdown(summary)).contains("| no-description |").contains("n/a");
    }

    @Test
    void sevenRunsEachGetALegendRowUnderThePlot(@TempDir Path root) throws Exception {
        List<Path> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            runs.add(classifierRun(root, "ablation-" + i + "-without-part-" + i, 0.8 + i / 100.0,
                    0.85 + i / 100.0));
        }
        List<XYChart> charts = new RunComparison(runs).charts();
        for (XYChart chart : charts) {
            assertThat(chart.getSeriesMap()).hasSize(7);
            assertThat(chart.getStyler().getLegendLayout()).isEqualTo(Styler.LegendLayout.Vertical);
            assertThat(chart.getHeight()).isGreaterThan(440 + 7 * 15); // plot keeps its height
        }
        Path out = root.resolve("cmp");
        new RunComparison(runs).write(out);
        assertThat(Files.size(out.resolve(RunComparison.PLOT))).isGreaterThan(5_000);
        if (System.getenv("MOELAB_CHART_DIR") != null) { // to look at the picture
            Files.copy(out.resolve(RunComparison.PLOT),
                    Path.of(System.getenv("MOELAB_CHART_DIR"), "comparison-7.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void languageModelsAreComparedByBitsPerCharacterLowestBestEvenWithNextTokenAccuracy(
            @TempDir Path root) {
        Path dir = root.resolve("lm");
        MetricsLog log = new MetricsLog(dir);
        log.start();
        log.step(1, 10, 1e-3, 2.0, 2.0, 0, 1, Double.NaN, 50, 25);
        log.epoch(1, 10, 1e-3, 2.0, Double.NaN, new Evaluation(10, 640, 2 * Math.log(2), 0.4, true), 50, 30);
        log.step(2, 20, 1e-3, 1.5, 1.5, 0, 1, Double.NaN, 50, 50);
        log.epoch(2, 20, 1e-3, 1.5, Double.NaN, new Evaluation(10, 640, 3 * Math.log(2), 0.3, true), 50, 60);
        RunComparison comparison = new RunComparison(List.of(dir));
        assertThat(comparison.metric()).isEqualTo("eval_bpc");
        assertThat(comparison.summary().doubleColumn("best_eval_bpc").get(0)).isCloseTo(2.0, within(1e-9));
        assertThat(comparison.summary().doubleColumn("eval_bpc").get(0)).isCloseTo(3.0, within(1e-9));

        // training bits per character by step and minutes, then validation by step and minutes
        List<XYChart> charts = comparison.charts();
        assertThat(charts).hasSize(4);
        assertThat(charts.get(2).getTitle()).isEqualTo("validation bits per character by step");
        var validation = charts.get(2).getSeriesMap().get("lm");
        assertThat(validation.getXData()).containsExactly(10.0, 20.0);
        assertThat(validation.getYData()).containsExactly(2.0, 3.0);
        // the evaluations' minutes are the training clock of the step before each (25 s, 50 s)
        assertThat(charts.get(3).getSeriesMap().get("lm").getXData())
                .containsExactly(25 / 60.0, 50 / 60.0);
    }

    @Test
    void movingMeanAveragesTheLastWindowOfSteps() {
        int window = TrainingCharts.WINDOW;
        double[] steps = new double[window + 2];
        double[] values = new double[window + 2];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
        }
        values[0] = window; // one large value, then zeros
        double[] mean = Series.movingMean(steps, values, window);
        assertThat(mean[0]).isEqualTo(window);
        assertThat(mean[1]).isEqualTo(window / 2.0);
        assertThat(mean[window - 1]).isEqualTo(1.0);
        assertThat(mean[window]).isEqualTo(0.0); // the large value left the window
        // a log that kept every 25th step averages over 50 steps (2 rows), not 50 rows
        double[] thinned = Series.movingMean(new double[] {25, 50, 75, 100},
                new double[] {4, 2, 0, 0}, window);
        assertThat(thinned).containsExactly(4, 3, 1, 0);
    }

    @Test
    void aDirectoryWithoutMetricsIsAClearError(@TempDir Path root) {
        assertThatThrownBy(() -> new RunComparison(List.of(root)))
                .hasMessageContaining("metrics.csv").hasMessageContaining("moelab train");
    }
}
