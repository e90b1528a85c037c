package moelab.mixing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import moelab.moe.AuxLosses;
import moelab.routing.DeterministicRouter;
import moelab.routing.Routing;
import org.junit.jupiter.api.Test;

/**
 * sMoE as a reshape and one batched matmul gives what the MoE steps gave before: route the
 * {@code B·E} chunks with the {@link DeterministicRouter}, send each to its expert, weight it by
 * the routing's combine weight and put it back (worked here expert by expert, chunk by chunk).
 */
class SpatialMoeTest {

    private static final int B = 3;
    private static final int T = 5;
    private static final int L = 6;
    private static final int D = 8;
    private static final int E = 4;

    @Test
    void outputsAndGradientsEqualTheRoutedPathWorkedChunkByChunk() {
        Engine.getInstance().setRandomSeed(23);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialMoe smoe = new SpatialMoe(E, D, L);
            smoe.initialize(manager, DataType.FLOAT32, new Shape(B, T, D));
            NDArray w = smoe.experts().weights()[0].getArray(); // (E, L, L)
            NDArray b = smoe.experts().weights()[1].getArray(); // (E, L, 1)
            manager.randomNormal(w.getShape()).copyTo(w);
            manager.randomNormal(b.getShape()).copyTo(b);
            NDArray x = manager.randomNormal(new Shape(B, T, D));
            NDArray r = manager.randomNormal(new Shape(B, T, D)); // loss = Σ y · r

            NDArray[] ours = outputAndGradients(smoe, x, r, true);
            NDArray[] byHand = outputAndGradients(smoe, x, r, false);
            String[] what = {"output", "dL/dx", "dL/dW", "dL/db"};
            for (int i = 0; i < what.length; i++) {
                assertThat(ours[i].allClose(byHand[i], 1e-5, 1e-5, false))
                        .as("%s: batched %s vs chunk by chunk %s", what[i],
                                ours[i].toDebugString(true), byHand[i].toDebugString(true))
                        .isTrue();
            }
        }
    }

    @Test
    void itsRoutingIsTheDeterministicOneAndGoesToTheRecordWithAZeroAuxLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialMoe smoe = new SpatialMoe(E, D, L);
            smoe.initialize(manager, DataType.FLOAT32, new Shape(B, T, D));
            assertThat(smoe.lastRouting()).as("before the first call").isNull();
            try (AuxLosses auxLosses = AuxLosses.open()) {
                smoe.forward(new ParameterStore(manager, false),
                        new NDList(manager.randomNormal(new Shape(B, T, D))), true);
                assertThat(auxLosses.entries()).hasSize(1);
                AuxLosses.Entry entry = auxLosses.entries().get(0);
                assertThat(entry.layer()).isSameAs(smoe);
                assertThat(entry.auxLoss().getFloat()).isZero();
                Routing expected = new DeterministicRouter().route(
                        manager.zeros(new Shape(B * E, E)), null, true);
                assertThat(entry.routing().experts()).isDeepEqualTo(expected.experts());
                assertThat(entry.routing().positions()).isDeepEqualTo(expected.positions());
                assertThat(smoe.lastRouting()).as("one view, computed once")
                        .isSameAs(entry.routing());
            }
        }
    }

    /** {@code [y, dL/dx, dL/dW, dL/db]} for {@code L = Σ y · r}, batched or chunk by chunk. */
    private static NDArray[] outputAndGradients(SpatialMoe smoe, NDArray x0, NDArray r,
                                                boolean batched) {
        NDArray w = smoe.experts().weights()[0].getArray();
        NDArray b = smoe.experts().weights()[1].getArray();
        for (NDArray p : new NDArray[] {w, b}) {
            p.setRequiresGradient(true);
            p.getGradient().subi(p.getGradient()); // start from zero
        }
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = batched
                    ? smoe.forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                            .head()
                    : routedChunkByChunk(x, w, b);
            gc.backward(y.mul(r).sum());
        }
        return new NDArray[] {y.duplicate(), x.getGradient().duplicate(),
            w.getGradient().duplicate(), b.getGradient().duplicate()};
    }

    /**
     * The sMoE of before: item {@code t = b·E + i} (chunk i of sequence b) goes to the expert its
     * deterministic routing names, {@code y_chunk = g_t (M ∘ W_e[:T, :T]) x_chunk + b_e}.
     */
    private static NDArray routedChunkByChunk(NDArray x, NDArray w, NDArray b) {
        NDManager manager = x.getManager();
        int c = D / E;
        Routing routing = new DeterministicRouter().route(
                manager.zeros(new Shape(B * E, E)), null, true);
        NDArray mask = CausalMask.lowerTriangular(manager, T, DataType.FLOAT32);
        NDList sequences = new NDList();
        for (int s = 0; s < B; s++) {
            NDList chunks = new NDList();
            for (int i = 0; i < E; i++) {
                int t = s * E + i;
                int e = routing.expert(t, 0);
                NDArray mixing = w.get(e + ", :" + T + ", :" + T).mul(mask); // (T, T)
                NDArray chunk = x.get(s + ", :, " + (i * c) + ":" + ((i + 1) * c)); // (T, c)
                NDArray out = mixing.matMul(chunk).add(b.get(e + ", :" + T + ", :")); // (T, c)
                chunks.add(out.mul(routing.weights().get(t + ", 0")));
            }
            sequences.add(NDArrays.concat(chunks, 1)); // (T, d)
        }
        return NDArrays.stack(sequences); // (B, T, d)
    }
}
