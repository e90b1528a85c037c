package moelab.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import moelab.train.Evaluation;
import moelab.train.MetricsLog;
import moelab.train.RoutingLog;
import moelab.train.RoutingStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/** What the training charts draw for one epoch, several epochs, dense and MoE models. */
class TrainingChartsTest {

    /** A classifier's log: 4 steps an epoch; aux loss 0.01 (MoE) or 0 (dense). */
    private static MetricsLog log(Path dir, int epochs, double aux) {
        MetricsLog log = new MetricsLog(dir);
        log.start();
        long step = 0;
        for (int e = 1; e <= epochs; e++) {
            for (int s = 0; s < 4; s++) {
                step++;
                log.step(e, step, 1e-3, 2 + aux, 2, aux, 1, 0.5, 100, step);
            }
            log.epoch(e, step, 1e-3, 2, 0.5, new Evaluation(10, 10, 1.5, 0.6, false), 100, step);
        }
        return log;
    }

    @Test
    void aOneEpochRunGetsBarsNotSinglePoints(@TempDir Path dir) {
        List<Chart<?, ?>> charts = TrainingCharts.curves(log(dir, 1, 0.01).table());
        assertThat(charts).hasSize(3); // loss, aux loss, accuracy
        assertThat(charts.get(2)).isInstanceOf(CategoryChart.class);
        assertThat(((CategoryChart) charts.get(2)).getSeriesMap().get("accuracy").getYData()
                .stream().map(Number::doubleValue).toList()).containsExactly(0.5, 0.6);

        RoutingLog routing = new RoutingLog(dir);
        routing.start();
        routing.epoch(1, 4, List.of(new RoutingStats.LayerSummary("a", new long[] {3, 1}, 0, 4, 0.5),
                new RoutingStats.LayerSummary("b", new long[] {2, 2}, 0, 4, 0.6)));
        List<Chart<?, ?>> load = TrainingCharts.routing(routing.table());
        assertThat(load).hasSize(1).first().isInstanceOf(CategoryChart.class);
        assertThat(((CategoryChart) load.get(0)).getSeriesMap()).containsOnlyKeys("a", "b");
    }

    @Test
    void severalEpochsGetCurvesWithTheAxisStartingAtZero(@TempDir Path dir) {
        List<Chart<?, ?>> charts = TrainingCharts.curves(log(dir, 3, 0.01).table());
        assertThat(charts).hasSize(3).allMatch(c -> c instanceof XYChart);
        XYChart loss = (XYChart) charts.get(0);
        assertThat(loss.getSeriesMap()).containsOnlyKeys("train loss", "train task loss",
                "eval loss");
        // a hair below 0, so that XChart picks round ticks instead of one per step
        assertThat(loss.getStyler().getXAxisMin()).isBetween(-0.1, 0.0);
        assertThat(loss.getSeriesMap().get("eval loss").getXData()).containsExactly(4.0, 8.0, 12.0);
    }

    @Test
    void aDenseModelHasNoAuxPanelAndOneTrainingLine(@TempDir Path dir) {
        List<Chart<?, ?>> charts = TrainingCharts.curves(log(dir, 2, 0).table());
        assertThat(charts).hasSize(2);
        assertThat(((XYChart) charts.get(0)).getSeriesMap()).containsOnlyKeys("train loss",
                "eval loss");
    }

    /** Sparse-MLP with {@code moe.experts=8}: 8 MoE_c experts and 4 MoE_s experts. */
    private static RoutingLog mixedExpertCounts(Path dir, int epochs) {
        RoutingLog routing = new RoutingLog(dir);
        routing.start();
        for (int e = 1; e <= epochs; e++) {
            routing.epoch(e, 4L * e, List.of(
                    new RoutingStats.LayerSummary("MoE_c", new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 0,
                            36, 2.0),
                    new RoutingStats.LayerSummary("MoE_s", new long[] {4, 3, 2, 1}, 0, 10, 1.3)));
        }
        return routing;
    }

    @Test
    void layersWithDifferentExpertCountsEachShowTheirOwnExperts(@TempDir Path dir) {
        List<Chart<?, ?>> bars = TrainingCharts.routing(mixedExpertCounts(dir, 1).table());
        assertThat(bars).hasSize(1);
        CategoryChart chart = (CategoryChart) bars.get(0);
        assertThat(chart.getSeriesMap().get("MoE_c").getYData()).hasSize(8).doesNotContainNull();
        assertThat(List.<Object>copyOf(chart.getSeriesMap().get("MoE_s").getYData().stream()
                .map(y -> y == null ? "none" : y).toList())).containsExactly(0.4, 0.3, 0.2,
                0.1, "none", "none", "none", "none");
        assertThat(ChartFiles.image(chart).getWidth()).isEqualTo(640); // draws

        List<Chart<?, ?>> curves = TrainingCharts.routing(mixedExpertCounts(dir, 2).table());
        assertThat(curves).hasSize(2);
        assertThat(((XYChart) curves.get(0)).getSeriesMap()).hasSize(8);
        assertThat(((XYChart) curves.get(1)).getSeriesMap()).hasSize(4);
        assertThat(TrainingCharts.saveRouting(mixedExpertCounts(dir, 2).table(),
                dir.resolve("routing.png"))).isRegularFile();
    }

    @Test
    void theTickJustBelowZeroReadsZero() {
        assertThat(ChartStyle.tickLabels("#").apply(-0.002)).isEqualTo("0");
        assertThat(ChartStyle.tickLabels("#.#").apply(-0.0004)).isEqualTo("0");
        assertThat(ChartStyle.tickLabels("#.#").apply(-0.5)).isEqualTo("-0.5");
        assertThat(ChartStyle.tickLabels("#").apply(1500.0)).isEqualTo("1500");
    }
}
