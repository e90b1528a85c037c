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
}
