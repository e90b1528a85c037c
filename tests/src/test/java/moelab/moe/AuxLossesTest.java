package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.concurrent.atomic.AtomicReference;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.Test;

class AuxLossesTest {

    private static final int D = 4;

    /** An aux loss a reader can check by hand: the number of items routed. */
    private static AuxLoss itemCount(NDManager manager) {
        return routing -> manager.create((float) routing.numItems());
    }

    private static MoeLayer layer(NDManager manager, AuxLoss auxLoss) {
        MoeLayer layer = MoeLayer.builder().setNumExperts(3).setModelDim(D).setHiddenDim(8)
                .setRouter(new SwitchRouter(0)).optAuxLoss(auxLoss).build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, D));
        return layer;
    }

    private static void forward(MoeBlock block, NDManager manager, int items, boolean training) {
        block.forward(new ParameterStore(manager, false),
                new NDList(manager.randomNormal(new Shape(items, D))), training);
    }

    @Test
    void aLayerCalledTwiceInAPassAddsBothAuxLosses() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer counted = layer(manager, itemCount(manager));
            MoeLayer balanced = layer(manager, new BalanceLoss());
            try (AuxLosses auxLosses = AuxLosses.open()) {
                forward(counted, manager, 3, true);
                forward(counted, manager, 5, true);
                assertThat(auxLosses.entries()).extracting(AuxLosses.Entry::layer)
                        .containsExactly(counted, counted);
                assertThat(auxLosses.entries()).extracting(e -> e.routing().numItems())
                        .containsExactly(3, 5);
                // 3 items + 5 items
                assertThat(auxLosses.sum(manager.zeros(new Shape())).getFloat()).isEqualTo(8f);
            }
            try (AuxLosses auxLosses = AuxLosses.open()) {
                forward(balanced, manager, 6, true);
                float first = balanced.lastAuxLoss().getFloat();
                forward(balanced, manager, 7, true);
                float second = balanced.lastAuxLoss().getFloat();
                assertThat(auxLosses.sum(manager.zeros(new Shape())).getFloat())
                        .as("first %s + second %s", first, second)
                        .isCloseTo(first + second, within(1e-6f));
            }
        }
    }

    @Test
    void aLayerThatDidNotRunAddsNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer ran = layer(manager, itemCount(manager));
            MoeLayer idle = layer(manager, itemCount(manager));
            try (AuxLosses earlier = AuxLosses.open()) {
                forward(ran, manager, 2, true);
                forward(idle, manager, 9, true);
            }
            try (AuxLosses auxLosses = AuxLosses.open()) {
                forward(ran, manager, 4, true);
                assertThat(idle.lastAuxLoss().getFloat()).as("idle layer's stale aux loss")
                        .isEqualTo(9f);
                assertThat(auxLosses.entries()).extracting(AuxLosses.Entry::layer)
                        .containsExactly(ran);
                assertThat(auxLosses.sum(manager.zeros(new Shape())).getFloat()).isEqualTo(4f);
            }
        }
    }

    @Test
    void forwardsOutsideARecordLeaveNoTrace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer moe = layer(manager, itemCount(manager));
            forward(moe, manager, 3, false); // an evaluation forward
            forward(moe, manager, 3, true);
            AuxLosses auxLosses = AuxLosses.open();
            auxLosses.close();
            forward(moe, manager, 5, true); // after close
            assertThat(auxLosses.isOpen()).isFalse();
            assertThat(auxLosses.entries()).isEmpty();
            NDArray sum = auxLosses.sum(manager.zeros(new Shape(), DataType.FLOAT64));
            assertThat(sum.getShape().isScalar()).isTrue();
            assertThat(sum.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(sum.getDouble()).isZero();
            auxLosses.close(); // closing twice is harmless
            assertThat(moe.lastAuxLoss().getFloat()).as("inspection still sees the latest")
                    .isEqualTo(5f);
        }
    }

    @Test
    void aWrapperAddsItsRoutedLayerOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer routed = layer(manager, itemCount(manager));
            SharedExpertMoe block = new SharedExpertMoe(D, 6, routed);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, D));
            try (AuxLosses auxLosses = AuxLosses.open()) {
                forward(block, manager, 3, true);
                assertThat(auxLosses.entries()).extracting(AuxLosses.Entry::layer)
                        .containsExactly(routed);
            }
        }
    }

    @Test
    void oneRecordPerThreadAtATime() {
        try (AuxLosses outer = AuxLosses.open()) {
            assertThatThrownBy(AuxLosses::open).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open").hasMessageContaining("close it");
        }
        try (AuxLosses again = AuxLosses.open()) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    @Test
    void aRecordCollectsOnlyTheThreadThatOpenedIt() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer moe = layer(manager, itemCount(manager));
            AtomicReference<AuxLosses> otherRecord = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (AuxLosses mine = AuxLosses.open()) {
                Thread other = new Thread(() -> {
                    forward(moe, manager, 2, true); // no record on this thread: nowhere
                    try (AuxLosses theirs = AuxLosses.open()) { // a record of its own is allowed
                        forward(moe, manager, 6, true);
                        otherRecord.set(theirs);
                    }
                    try {
                        mine.close();
                    } catch (IllegalStateException e) {
                        failure.set(e);
                    }
                });
                other.start();
                other.join();
                assertThat(mine.isOpen()).isTrue();
                assertThat(mine.entries()).isEmpty();
                assertThat(otherRecord.get().entries()).extracting(e -> e.routing().numItems())
                        .containsExactly(6);
                assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed by the thread that opened it");
            }
        }
    }
}
