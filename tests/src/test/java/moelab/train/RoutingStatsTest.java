package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import moelab.moe.AuxLosses;
import moelab.moe.MoeBlock;
import moelab.moe.MoeLayer;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class RoutingStatsTest {

    @Test
    void countsEveryCallOfAPassAndNothingOfAnIdleLayer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer twice = layer(manager);
            MoeLayer idle = layer(manager);
            Map<String, MoeBlock> blocks = new LinkedHashMap<>();
            blocks.put("twice", twice);
            blocks.put("idle", idle);
            RoutingStats stats = new RoutingStats();
            forward(idle, manager, 7); // outside any record: not counted
            try (AuxLosses pass = AuxLosses.open()) {
                forward(twice, manager, 3);
                forward(twice, manager, 5);
                stats.record(pass, blocks);
            }
            List<RoutingStats.LayerSummary> layers = stats.summarize();
            assertThat(layers).extracting(RoutingStats.LayerSummary::layer).containsExactly("twice");
            // no capacity limit: every one of the 3 + 5 items is kept
            assertThat(layers.get(0).load()).as("load").satisfies(
                    load -> assertThat(java.util.Arrays.stream(load).sum()).isEqualTo(8));
            assertThat(layers.get(0).assigned()).isEqualTo(8);
        }
    }

    private static MoeLayer layer(NDManager manager) {
        MoeLayer layer = MoeLayer.builder().setNumExperts(2).setModelDim(4).setHiddenDim(4)
                .setRouter(new SwitchRouter(0)).build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        return layer;
    }

    private static void forward(MoeLayer layer, NDManager manager, int items) {
        layer.forward(new ParameterStore(manager, false),
                new NDList(manager.randomNormal(new Shape(items, 4))), true);
    }
}
