package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import moelab.routing.Routing;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class SortedDispatchTest {

    @Test
    void goldenStableOrderWithAnEmptyExpert() {
        ExpertOrder o = SortedDispatch.order(new int[] {2, 0, 2, 0, 3}, 4);
        assertThat(o.order()).containsExactly(1, 3, 0, 2, 4);
        assertThat(o.offsets()).containsExactly(0, 2, 2, 4, 5);
        assertThat(o.inverse()).containsExactly(2, 0, 3, 1, 4);
        assertThat(o.count(1)).isZero();
    }

    @Test
    void rejectsExpertOutOfRange() {
        assertThatThrownBy(() -> SortedDispatch.order(new int[] {0, 3}, 3))
                .hasMessageContaining("expert 3");
    }

    @Test
    void sortedExpertsEqualGatherDispatchWithoutDropping() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            int tokens = 20, experts = 4, d = 3;
            NDArray x = manager.randomNormal(new Shape(tokens, d));
            NDArray w = manager.randomNormal(new Shape(experts, d, d));
            Routing r = new SwitchRouter(0).route(manager.randomNormal(new Shape(tokens, experts)), false);
            NDArray viaGather = Combine.apply(Dispatch.apply(x, r).batchMatMul(w), r);
            int[] expert = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                expert[t] = r.expert(t, 0);
            }
            NDArray viaSort = SortedDispatch.apply(x, SortedDispatch.order(expert, experts),
                    (e, rows) -> rows.matMul(w.get(e))).mul(r.weights());
            assertThat(viaSort.allClose(viaGather, 1e-5, 1e-5, false)).isTrue();
            assertThat(viaSort.getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }
}
