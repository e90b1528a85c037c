package moelab.mixing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import moelab.moe.MoeLayer;
import moelab.routing.SwitchRouter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MixingLayersTest {

    private static final int B = 2;
    private static final int S = 5;
    private static final int C = 6;

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(23);
    }

    private static NDArray run(Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    /** Changes the input at one index (along one axis) and reports which outputs moved. */
    private static boolean[] changedAlong(Block block, NDManager manager, NDArray x, String where,
            int axis) {
        NDArray y = run(block, manager, x);
        NDArray x2 = x.duplicate();
        NDArray part = x.get(where);
        // a random change: a constant shift or a scaling would vanish under LayerNorm
        x2.set(new NDIndex(where), part.add(manager.randomNormal(part.getShape())));
        NDArray diff = run(block, manager, x2).sub(y).abs();
        int[] others = java.util.stream.IntStream.range(0, 3).filter(a -> a != axis).toArray();
        float[] moved = diff.max(new int[] {others[1]}).max(new int[] {others[0]}).toFloatArray();
        boolean[] changed = new boolean[moved.length];
        for (int i = 0; i < moved.length; i++) {
            changed[i] = moved[i] > 1e-6f;
        }
        return changed;
    }

    @Test
    void tokenMixingMixesPatchesWithinEachChannelOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TokenMixingMlp mixing = new TokenMixingMlp(S, 8);
            mixing.initialize(manager, DataType.FLOAT32, new Shape(B, S, C));
            NDArray x = manager.randomNormal(new Shape(B, S, C));
            assertThat(run(mixing, manager, x).getShape()).isEqualTo(new Shape(B, S, C));
            // perturb patch 0 of channel 2: only channel 2 changes, at every patch
            assertThat(changedAlong(mixing, manager, x, ":, 0, 2", 2))
                    .containsExactly(false, false, true, false, false, false);
            assertThat(changedAlong(mixing, manager, x, ":, 0, 2", 1))
                    .containsOnly(true);
        }
    }

    @Test
    void channelMixingMixesChannelsWithinEachPatchOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelMixingMlp mixing = new ChannelMixingMlp(C, 8);
            mixing.initialize(manager, DataType.FLOAT32, new Shape(B, S, C));
            NDArray x = manager.randomNormal(new Shape(B, S, C));
            assertThat(changedAlong(mixing, manager, x, ":, 3, 0", 1))
                    .containsExactly(false, false, false, true, false);
            assertThat(changedAlong(mixing, manager, x, ":, 3, 0", 2)).containsOnly(true);
        }
    }

    @Test
    void reRepresentationDoublesPatchesAndHalvesChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ReRepresentation down = new ReRepresentation(S, C, 2 * S, C / 2);
            down.initialize(manager, DataType.FLOAT32, new Shape(B, S, C));
            ReRepresentation up = new ReRepresentation(2 * S, C / 2, S, C);
            up.initialize(manager, DataType.FLOAT32, new Shape(B, 2 * S, C / 2));
            NDArray z = run(down, manager, manager.randomNormal(new Shape(B, S, C)));
            assertThat(z.getShape()).isEqualTo(new Shape(B, 2 * S, C / 2));
            assertThat(run(up, manager, z).getShape()).isEqualTo(new Shape(B, S, C));
            long counted = down.getParameters().stream()
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            assertThat(counted).isEqualTo(down.parameterCount())
                    .isEqualTo(C * 3L + 3 + S * 10L + 10);
        }
    }

    @Test
    void spatialGatingUnitStartsNearUAndIsCausal() {
        int f = 4;
        int length = 7;
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialGatingUnit sgu = new SpatialGatingUnit(f, length, true);
            sgu.initialize(manager, DataType.FLOAT32, new Shape(B, length, 2 * f));
            NDArray z = manager.randomNormal(new Shape(B, length, 2 * f));
            NDArray y = run(sgu, manager, z);
            assertThat(y.getShape()).isEqualTo(new Shape(B, length, f));
            // W ~ 0 and b = 1: output ~ u
            assertThat(y.allClose(z.get(":, :, :" + f), 0.05, 0.05, false)).isTrue();
            // causal: perturbing position 4 changes positions 4..6 only
            assertThat(changedAlong(sgu, manager, z, ":, 4, :", 1))
                    .containsExactly(false, false, false, false, true, true, true);
        }
    }

    @Test
    void spatialProjectionWithoutMaskMixesEveryPosition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialGatingUnit sgu = new SpatialGatingUnit(4, 5, false);
            sgu.initialize(manager, DataType.FLOAT32, new Shape(1, 5, 8));
            NDArray w = sgu.spatial().weights()[0].getArray();
            manager.randomNormal(w.getShape()).copyTo(w);
            NDArray z = manager.randomNormal(new Shape(1, 5, 8));
            // perturbing v at the last position reaches every position
            assertThat(changedAlong(sgu, manager, z, ":, 4, 4:", 1)).containsOnly(true);
        }
    }

    @Test
    void spatialMoeSendsChunkIToExpertIAndIsCausal() {
        int d = 8;
        int experts = 4;
        int length = 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialMoe smoe = new SpatialMoe(experts, d, length);
            smoe.initialize(manager, DataType.FLOAT32, new Shape(B, length, d));
            // give the experts visible weights so every position really mixes
            NDArray w = smoe.experts().weights()[0].getArray();
            manager.randomNormal(w.getShape()).copyTo(w);
            NDArray x = manager.randomNormal(new Shape(B, length, d));
            NDArray y = run(smoe, manager, x);
            assertThat(y.getShape()).isEqualTo(new Shape(B, length, d));
            var routing = smoe.lastRouting();
            assertThat(routing.numItems()).isEqualTo(B * experts);
            assertThat(routing.experts()).isDeepEqualTo(new int[][] {
                    {0}, {1}, {2}, {3}, {0}, {1}, {2}, {3}});
            assertThat(routing.dropped()).isZero();
            assertThat(smoe.lastAuxLoss().getFloat()).isZero();
            assertThat(changedAlong(smoe, manager, x, ":, 2, :", 1))
                    .containsExactly(false, false, true, true, true, true);
            // token mixing only: channel 2 (in chunk 1) reaches no other channel
            assertThat(changedAlong(smoe, manager, x, ":, :, 2", 2))
                    .containsExactly(false, false, true, false, false, false, false, false);
        }
    }

    @Test
    void spatialMoeExpertIMixesChunkIWithItsOwnMatrix() {
        int length = 3;
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialMoe smoe = new SpatialMoe(2, 2, length);
            smoe.initialize(manager, DataType.FLOAT32, new Shape(1, length, 2));
            // expert 0: running sum; expert 1: copy of the previous position. Biases 0.
            float[] weights = {1, 0, 0, 1, 1, 0, 1, 1, 1, /* expert 1 */ 0, 0, 0, 1, 0, 0, 0, 1, 0};
            NDArray w = smoe.experts().weights()[0].getArray();
            manager.create(weights, w.getShape()).copyTo(w);
            NDArray x = manager.create(new float[] {1, 10, 2, 20, 3, 30}, new Shape(1, length, 2));
            float[] y = run(smoe, manager, x).toFloatArray();
            assertThat(y).containsExactly(1, 0, 3, 10, 6, 20);
        }
    }

    @Test
    void causalSelfAttentionReadsOnlyThePast() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalSelfAttention attention = new CausalSelfAttention(8, 2);
            attention.initialize(manager, DataType.FLOAT32, new Shape(B, 5, 8));
            NDArray x = manager.randomNormal(new Shape(B, 5, 8));
            assertThat(run(attention, manager, x).getShape()).isEqualTo(new Shape(B, 5, 8));
            assertThat(changedAlong(attention, manager, x, ":, 3, :", 1))
                    .containsExactly(false, false, false, true, true);
            long counted = attention.getParameters().stream()
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            assertThat(counted).isEqualTo(attention.parameterCount()).isEqualTo(4 * 64 + 4 * 8);
        }
    }

    @Test
    void oneExpertMixingMoesEqualTheDenseMixingMlps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(B, S, C));
            TokenMixingMlp tokenDense = new TokenMixingMlp(S, 8);
            TokenMixingMoe tokenMoe = new TokenMixingMoe(oneExpert(S, 8));
            ChannelMixingMlp channelDense = new ChannelMixingMlp(C, 8);
            ChannelMixingMoe channelMoe = new ChannelMixingMoe(oneExpert(C, 8));
            for (Block block : new Block[] {tokenDense, tokenMoe, channelDense, channelMoe}) {
                block.initialize(manager, DataType.FLOAT32, new Shape(B, S, C));
            }
            copy(tokenDense.mlp(), tokenMoe.moe());
            copy(channelDense.mlp(), channelMoe.moe());
            assertThat(run(tokenMoe, manager, x).allClose(run(tokenDense, manager, x), 1e-5, 1e-6,
                    false)).isTrue();
            assertThat(run(channelMoe, manager, x).allClose(run(channelDense, manager, x), 1e-5,
                    1e-6, false)).isTrue();
            assertThat(tokenMoe.moe().lastRouting().numItems()).isEqualTo(B * C);
            assertThat(channelMoe.moe().lastRouting().numItems()).isEqualTo(B * S);
        }
    }

    private static MoeLayer oneExpert(int d, int h) {
        return MoeLayer.builder().setNumExperts(1).setModelDim(d).setHiddenDim(h)
                .setRouter(new SwitchRouter(0)).build();
    }

    private static void copy(FeedForward from, MoeLayer to) {
        Parameter[] source = from.weights();
        Parameter[] target = to.experts().weights();
        for (int i = 0; i < source.length; i++) {
            NDArray t = target[i].getArray();
            source[i].getArray().reshape(t.getShape()).copyTo(t);
        }
    }
}
