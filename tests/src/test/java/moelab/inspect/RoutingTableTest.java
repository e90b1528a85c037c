package moelab.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import moelab.routing.GShardRouter;
import moelab.routing.Routing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class RoutingTableTest {

    @Test
    void tablesAndChartShowTheGShardGoldenCase(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Routing r = new GShardRouter(0.5).route(
                    m.create(new float[][] {{2, 1, 0}, {0, 3, 1}, {2.5f, 0, 0}, {1, 0, 2}}), false);
            Table assignments = RoutingTable.assignments(r);
            assertThat(assignments.rowCount()).isEqualTo(8);
            assertThat(assignments.booleanColumn("kept").countFalse()).isEqualTo(2);
            assertThat(assignments.intColumn("expert").asList()).containsExactly(0, 1, 1, 2, 0, 1, 2, 0);

            Table experts = RoutingTable.experts(r);
            assertThat(experts.intColumn("kept").asList()).containsExactly(2, 2, 2);
            assertThat(experts.doubleColumn("importance").sum()).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-5));

            Path png = dir.resolve("load.png");
            ChartFiles.savePng(ExpertLoadChart.of(r, "GShard top-2"), png);
            assertThat(Files.size(png)).isGreaterThan(1000);
            assertThat(ChartFiles.image(ExpertLoadChart.of(r, "x")).getWidth()).isEqualTo(640);
        }
    }
}
