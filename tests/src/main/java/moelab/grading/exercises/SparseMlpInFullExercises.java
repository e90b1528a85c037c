package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import moelab.experts.Experts;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.mixing.ReRepresentation;
import moelab.mixing.TokenMixingMlp;
import moelab.mixing.TokenMixingMoe;
import moelab.models.ModelConfig;
import moelab.models.MoePart;
import moelab.models.SparseMlpConfig;
import moelab.moe.MoeLayer;
import moelab.routing.BatchPriorityRouter;
import moelab.routing.Priority;
import moelab.routing.Router;
import moelab.routing.Routing;
import moelab.routing.TopKRouter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercises of {@code 09-sparse-mlp-in-full.ipynb}: the re-representation layer, {@code MoE_s}
 * (token-mixing experts), and the FLOP count of a sparse block.
 */
@Forbids(exercise = "09-re-representation",
        value = {"moelab.mixing.ReRepresentation", "moelab.models.SparseMlpBlock"})
@Forbids(exercise = "09-token-mixing-moe",
        value = {"moelab.mixing.TokenMixingMoe", "moelab.mixing.ChannelMixingMoe", "moelab.moe.MoeLayer",
                "moelab.models.SparseMlpBlock"})
@Forbids(exercise = "09-sparse-block-flops",
        value = {"moelab.models.Cost", "moelab.models.SparseMlpBlock", "moelab.models.SparseMlp",
                "moelab.models.CostedBlock", "moelab.models.MoePart#cost", "moelab.models.ModelConfig#cost",
                "moelab.models.ModelConfig#flopsPerExample", "moelab.models.ModelConfig#parameterCount",
                "moelab.models.ModelConfig#activeParameterCount", "moelab.models.SparseMlpConfig#cost",
                "moelab.models.SparseMlpConfig#build", "moelab.models.SparseMlpConfig#flopsPerExample",
                "moelab.models.SparseMlpConfig#parameterCount", "moelab.models.SparseMlpConfig#activeParameterCount"})
class SparseMlpInFullExercises extends NDArrayExercises {

    private NDArray reRepresent(NDArray x, NDArray wc, NDArray bc, NDArray ws, NDArray bs) {
        return Student.method("reRepresent", NDArray.class, NDArray.class, NDArray.class, NDArray.class,
                NDArray.class).call(NDArray.class, x, wc, bc, ws, bs);
    }

    private NDArray tokenMixingMoe(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
        return Student.method("tokenMixingMoe", NDArray.class, NDArray.class, Router.class, Experts.class,
                boolean.class).call(NDArray.class, x, gate, router, experts, training);
    }

    private long sparseBlockFlops(SparseMlpConfig config) {
        return Student.method("sparseBlockFlops", SparseMlpConfig.class).call(Long.class, config);
    }

    private double sparseBlockPaddedFlops(SparseMlpConfig config, int batchSize) {
        return Student.method("sparseBlockPaddedFlops", SparseMlpConfig.class, int.class)
                .call(Double.class, config, batchSize);
    }

    private static String show(NDArray a) {
        return a.getShape() + " " + Arrays.toString(a.toFloatArray());
    }

    private static void assertClose(NDArray expected, NDArray actual, float tolerance, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) > tolerance * (1 + Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]
                        + (e.length <= 32 ? "\n  expected " + Arrays.toString(e) + "\n  actual   "
                                + Arrays.toString(a) : ""));
            }
        }
    }

    // ---- 09-re-representation: reRepresent(x, wc, bc, ws, bs), (B, S, C) -> (B, S', C') ------------

    @Test
    @Tag("09-re-representation")
    @DisplayName("RR1 by hand: x (1, S=2, C=4) = [[1,2,3,4],[5,6,7,8]] -> (1, S'=4, C'=2) = [[3,107],[11,115],[14,222],[992,992]]")
    void reRepresentationGolden() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 2, 4));
        NDArray wc = manager.create(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, new Shape(4, 2)); // sums channel pairs
        NDArray bc = manager.create(new float[] {0, 100});
        NDArray ws = manager.create(new float[] {1, 0, 1, 1, 0, 1, 1, -1}, new Shape(2, 4)); // [z0, z1, z0+z1, z0-z1]
        NDArray bs = manager.create(new float[] {0, 0, 0, 1000});
        NDArray expected = manager.create(new float[] {3, 107, 11, 115, 14, 222, 992, 992}, new Shape(1, 4, 2));
        NDArray actual = reRepresent(x, wc, bc, ws, bs);
        assertClose(expected, actual, 1e-6f, "reRepresent(x=" + show(x) + ", wc=" + show(wc) + ", bc=[0, 100], ws="
                + show(ws) + ", bs=[0, 0, 0, 1000]) (channels first: Z = x wc + bc, then each channel's column"
                + " of Z through ws, + bs)");
    }

    @Test
    @Tag("09-re-representation")
    @DisplayName("RR2 by hand: (1, S'=4, C'=2) back to (1, S=2, C=4): [[3.5,107.5,3.5,107.5],[10.5,114.5,10.5,114.5]]")
    void reRepresentationBackGolden() {
        NDArray y = manager.create(new float[] {3, 107, 11, 115, 14, 222, 992, 992}, new Shape(1, 4, 2));
        NDArray wc = manager.create(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, new Shape(2, 4)); // [a, b] -> [a, b, a, b]
        NDArray bc = manager.zeros(new Shape(4));
        NDArray ws = manager.create(new float[] {1, 0, 0, 1, 0, 0, 0, 0}, new Shape(4, 2)); // keeps patches 0 and 1
        NDArray bs = manager.create(new float[] {0.5f, -0.5f});
        NDArray expected = manager.create(new float[] {3.5f, 107.5f, 3.5f, 107.5f, 10.5f, 114.5f, 10.5f, 114.5f},
                new Shape(1, 2, 4));
        NDArray actual = reRepresent(y, wc, bc, ws, bs);
        assertClose(expected, actual, 1e-6f, "reRepresent(x=" + show(y) + ", wc=" + show(wc) + ", bc=0, ws="
                + show(ws) + ", bs=[0.5, -0.5])");
    }

    @Test
    @Tag("09-re-representation")
    @DisplayName("on random (3, 7, 6) inputs: RR1 to (3, 14, 3) and RR2 back to (3, 7, 6) equal moelab's ReRepresentation with the same weights")
    void reRepresentationMatchesToolkit() {
        manager.getEngine().setRandomSeed(91);
        NDArray x = manager.randomNormal(new Shape(3, 7, 6));
        ReRepresentation rr1 = new ReRepresentation(7, 6, 14, 3);
        ReRepresentation rr2 = new ReRepresentation(14, 3, 7, 6);
        rr1.initialize(manager, DataType.FLOAT32, x.getShape());
        rr2.initialize(manager, DataType.FLOAT32, new Shape(3, 14, 3));
        for (ReRepresentation rr : List.of(rr1, rr2)) { // random biases too, so their place matters
            for (var p : rr.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.set(manager.randomNormal(a.getShape()).toFloatArray());
            }
        }
        NDArray expected1 = rr1.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray[] w1 = weightsOf(rr1);
        NDArray actual1 = reRepresent(x, w1[0], w1[1], w1[2], w1[3]);
        assertClose(expected1, actual1, 1e-4f, "RR1 (3, 7, 6) -> (3, 14, 3) against ReRepresentation(7, 6, 14, 3)");
        NDArray expected2 = rr2.forward(new ParameterStore(manager, false), new NDList(expected1), false).head();
        NDArray[] w2 = weightsOf(rr2);
        NDArray actual2 = reRepresent(expected1, w2[0], w2[1], w2[2], w2[3]);
        assertClose(expected2, actual2, 1e-4f, "RR2 (3, 14, 3) -> (3, 7, 6) against ReRepresentation(14, 3, 7, 6)");
    }

    /** A ReRepresentation's weights as (wc (C, C'), bc, ws (S, S'), bs): DJL's Linear holds (out, in). */
    private static NDArray[] weightsOf(ReRepresentation rr) {
        NDArray[] w = new NDArray[4];
        for (var p : rr.getParameters()) {
            String name = p.getKey();
            NDArray a = p.getValue().getArray();
            int base = name.contains("channelProjection") ? 0 : 2;
            if (name.endsWith("weight")) {
                w[base] = a.transpose();
            } else {
                w[base + 1] = a;
            }
        }
        return w;
    }

    @Test
    @Tag("09-re-representation")
    @DisplayName("shapes that do not fit throw IllegalArgumentException: a 2-D x, wc with C rows != x's C, ws with S rows != x's S")
    void reRepresentationRejectsShapes() {
        NDArray wc = manager.ones(new Shape(4, 2));
        NDArray bc = manager.zeros(new Shape(2));
        NDArray ws = manager.ones(new Shape(3, 6));
        NDArray bs = manager.zeros(new Shape(6));
        NDArray[] inputs = {manager.ones(new Shape(3, 4)), manager.ones(new Shape(2, 3, 5)), manager.ones(new Shape(2, 2, 4))};
        String[] why = {"x (3, 4) is not (B, S, C)", "x (2, 3, 5) has C=5 but wc (4, 2) expects C=4",
            "x (2, 2, 4) has S=2 but ws (3, 6) expects S=3"};
        for (int i = 0; i < inputs.length; i++) {
            NDArray x = inputs[i];
            RuntimeException thrown = null;
            NDArray result = null;
            try {
                result = reRepresent(x, wc, bc, ws, bs);
            } catch (UnsupportedOperationException e) {
                throw e; // the exercise stub: not attempted yet
            } catch (RuntimeException e) {
                thrown = e;
            }
            String got = thrown == null ? "it returned " + (result == null ? "null" : result.getShape())
                    : "it threw " + thrown;
            assertTrue(thrown instanceof IllegalArgumentException,
                    "expected IllegalArgumentException because " + why[i] + ", but " + got);
        }
        // and the right shapes pass: (2, 3, 4) -> (2, 6, 2)
        assertEquals(new Shape(2, 6, 2), reRepresent(manager.ones(new Shape(2, 3, 4)), wc, bc, ws, bs).getShape(),
                "reRepresent((2, 3, 4), wc (4, 2), ws (3, 6)) shape");
    }

    // ---- 09-token-mixing-moe: tokenMixingMoe(x, gate, router, experts, training), (B, S', C') -> (B, S', C')

    /** Records what the student's code hands the router. */
    private static final class SpyRouter implements Router {
        final Router inner;
        final List<NDArray> logits = new ArrayList<>();
        final List<Routing> routings = new ArrayList<>();

        SpyRouter(Router inner) {
            this.inner = inner;
        }

        @Override
        public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
            this.logits.add(logits);
            Routing r = inner.route(logits, tokenIds, training);
            routings.add(r);
            return r;
        }
    }

    private Experts randomExperts(int e, int d, int h) {
        Experts experts = new Experts(e, d, h);
        experts.initialize(manager, DataType.FLOAT32, new Shape(e, 1, d));
        for (Parameter p : experts.weights()) {
            p.getArray().set(manager.randomNormal(p.getArray().getShape()).mul(0.5f).toFloatArray());
        }
        return experts;
    }

    @Test
    @Tag("09-token-mixing-moe")
    @DisplayName("routes B·C' channel columns of length S': on x (2, 4, 4) the router gets (8, E) logits, row b·C'+c = column c of image b times W_g")
    void tokenMixingMoeRoutesChannelColumns() {
        manager.getEngine().setRandomSeed(92);
        NDArray x = manager.randomNormal(new Shape(2, 4, 4)); // B=2, S'=4, C'=4: a square grid
        NDArray gate = manager.randomNormal(new Shape(4, 3)); // (S', E=3)
        SpyRouter router = new SpyRouter(new BatchPriorityRouter(1, 0, 0));
        NDArray y = tokenMixingMoe(x, gate, router, randomExperts(3, 4, 5), false);
        assertEquals(1, router.logits.size(), "the router should be called once per forward pass, was called "
                + router.logits.size() + " times");
        NDArray expected = x.transpose(0, 2, 1).reshape(8, 4).matMul(gate); // (B·C', E)
        assertClose(expected, router.logits.get(0), 1e-5f,
                "logits handed to the router for x " + show(x) + " and W_g " + show(gate));
        assertEquals(x.getShape(), y.getShape(), "output shape for x (2, 4, 4)");
    }

    @Test
    @Tag("09-token-mixing-moe")
    @DisplayName("on random (3, 6, 4) grids, K=1 and K=2, capacity factor 1.25: equals moelab's TokenMixingMoe with the same gate and experts")
    void tokenMixingMoeMatchesToolkit() {
        manager.getEngine().setRandomSeed(93);
        for (int k : new int[] {1, 2}) {
            NDArray x = manager.randomNormal(new Shape(3, 6, 4)); // B=3, S'=6, C'=4
            Router router = new BatchPriorityRouter(k, 1.25, 0);
            MoeLayer moe = MoeLayer.builder().setNumExperts(4).setModelDim(6).setHiddenDim(5).setRouter(router).build();
            TokenMixingMoe toolkit = new TokenMixingMoe(moe);
            toolkit.initialize(manager, DataType.FLOAT32, x.getShape());
            for (Parameter p : moe.experts().weights()) {
                p.getArray().set(manager.randomNormal(p.getArray().getShape()).toFloatArray());
            }
            NDArray expected = toolkit.forward(new ParameterStore(manager, false), new NDList(x), false).head();
            NDArray actual = tokenMixingMoe(x, moe.gate().getArray(), router, moe.experts(), false);
            assertClose(expected, actual, 1e-4f, "K=" + k + ", E=4, x (3, 6, 4), capacity factor 1.25, against TokenMixingMoe");
        }
    }

    @Test
    @Tag("09-token-mixing-moe")
    @DisplayName("identical experts, no dropping, weight 1 (normalised top-1): equals the dense token-mixing MLP (TokenMixingMlp)")
    void tokenMixingMoeWithIdenticalExpertsIsDense() {
        manager.getEngine().setRandomSeed(94);
        NDArray x = manager.randomNormal(new Shape(2, 5, 3)); // B=2, S'=5, C'=3
        TokenMixingMlp dense = new TokenMixingMlp(5, 7);
        dense.initialize(manager, DataType.FLOAT32, x.getShape());
        Parameter[] from = dense.mlp().weights();
        for (Parameter p : from) {
            p.getArray().set(manager.randomNormal(p.getArray().getShape()).toFloatArray());
        }
        Experts experts = new Experts(4, 5, 7);
        experts.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 5));
        Parameter[] to = experts.weights();
        for (int i = 0; i < to.length; i++) { // every expert gets the dense MLP's weights
            NDArray one = from[i].getArray().expandDims(0);
            NDArray all = one;
            for (int e = 1; e < 4; e++) {
                all = all.concat(one, 0);
            }
            to[i].getArray().set(all.reshape(to[i].getArray().getShape()).toFloatArray());
        }
        Router router = new TopKRouter(1, 0, 0, true, Priority.BATCH_ORDER); // no dropping, weight p/p = 1
        NDArray gate = manager.randomNormal(new Shape(5, 4));
        NDArray expected = dense.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray actual = tokenMixingMoe(x, gate, router, experts, false);
        assertClose(expected, actual, 1e-4f, "4 identical experts on x (2, 5, 3) against TokenMixingMlp(5, 7)");
    }

    @Test
    @Tag("09-token-mixing-moe")
    @DisplayName("capacity respected: with capacity factor 0.5 the dropped channel columns come out as zeros, the kept ones as the toolkit's")
    void tokenMixingMoeDropsOverCapacity() {
        manager.getEngine().setRandomSeed(95);
        NDArray x = manager.randomNormal(new Shape(2, 6, 5)); // B=2, S'=6, C'=5: 10 items
        Experts experts = randomExperts(2, 6, 4);
        NDArray gate = manager.randomNormal(new Shape(6, 2));
        SpyRouter router = new SpyRouter(new BatchPriorityRouter(1, 0.5, 0)); // capacity ceil(10·0.5/2) = 3
        NDArray y = tokenMixingMoe(x, gate, router, experts, false);
        assertEquals(new Shape(2, 6, 5), y.getShape(), "output shape for x (2, 6, 5)");
        Routing routing = router.routings.get(0);
        assertEquals(10, routing.numItems(), "items routed for x (2, 6, 5): B·C' = 10");
        NDArray columns = y.transpose(0, 2, 1).reshape(10, 6); // row b·C'+c
        for (int item = 0; item < 10; item++) {
            float[] column = columns.get(item).toFloatArray();
            boolean zero = Arrays.stream(toDoubles(column)).allMatch(v -> v == 0);
            if (!routing.kept(item, 0)) {
                assertTrue(zero, "item " + item + " (image " + item / 5 + ", channel " + item % 5 + ") was dropped by"
                        + " the router (capacity " + routing.capacity() + ") so its output column should be zeros, was "
                        + Arrays.toString(column));
            }
        }
        assertTrue(routing.dropped() > 0, "this case should drop items (capacity 3 for 10 items on 2 experts)");
        Router again = new BatchPriorityRouter(1, 0.5, 0);
        MoeLayer moe = MoeLayer.builder().setNumExperts(2).setModelDim(6).setHiddenDim(4).setRouter(again).build();
        TokenMixingMoe toolkit = new TokenMixingMoe(moe);
        toolkit.initialize(manager, DataType.FLOAT32, x.getShape());
        moe.gate().getArray().set(gate.toFloatArray());
        Parameter[] to = moe.experts().weights();
        Parameter[] from = experts.weights();
        for (int i = 0; i < to.length; i++) {
            to[i].getArray().set(from[i].getArray().toFloatArray());
        }
        NDArray expected = toolkit.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertClose(expected, y, 1e-4f, "capacity factor 0.5, E=2, x (2, 6, 5), against TokenMixingMoe");
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    // ---- 09-sparse-block-flops: sparseBlockFlops(config), sparseBlockPaddedFlops(config, B) --------

    /** The toolkit's FLOPs of one sparse block: a two-block Sparse-MLP's minus a one-block one's. */
    private static long toolkitBlockFlops(SparseMlpConfig config) {
        // sparse blocks first, so that they never outnumber the blocks in all
        SparseMlpConfig two = config.withMoe(config.moe().withBlocks(2)).withMixer(config.mixer().withBlocks(2));
        SparseMlpConfig one = config.withMoe(config.moe().withBlocks(1)).withMixer(config.mixer().withBlocks(1));
        return two.flopsPerExample() - one.flopsPerExample();
    }

    private static String describe(SparseMlpConfig c) {
        return c.name() + " (S=" + c.image().numPatches() + ", C=" + c.mixer().width() + ", D_S=" + c.mixer().tokenHidden()
                + ", D_C=" + c.mixer().channelHidden() + ", E_s=" + c.tokenExperts() + ", E_c=" + c.moe().experts()
                + ", K=" + c.moe().topK() + ", capacity factor " + c.moe().capacityFactor() + ", channelMoeInside="
                + c.channelMoeInside() + ", reRepresentation=" + c.reRepresentation() + ")";
    }

    @Test
    @Tag("09-sparse-block-flops")
    @DisplayName("sparse-mlp-tiny's block by hand: 5,588,352 FLOPs per image (RR1 508,032 + MoE_s 827,904 + MoE_c 3,236,352 + RR2 1,016,064)")
    void sparseBlockFlopsGolden() {
        SparseMlpConfig tiny = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        // S=49, C=64, S'=98, C'=32, D_S=64, D_C=256, E=4, K=1, MoE_c on (S, C)
        long rr1 = 2L * 64 * 32 * 49 + 2L * 49 * 98 * 32;       // 200,704 + 307,328
        long moeS = 2L * 98 * 4 * 32 + 4L * 98 * 64 * 32;       // gate 25,088 + one expert 802,816
        long moeC = 2L * 64 * 4 * 49 + 4L * 64 * 256 * 49;      // gate 25,088 + one expert 3,211,264
        long rr2 = 2L * 32 * 64 * 98 + 2L * 98 * 49 * 64;       // 401,408 + 614,656
        long expected = rr1 + moeS + moeC + rr2;
        assertEquals(5_588_352L, expected);
        long actual = sparseBlockFlops(tiny);
        assertEquals(expected, actual, "sparseBlockFlops(" + describe(tiny) + "): expected " + expected + " but was "
                + actual + (actual > expected ? " (too many: " + (actual - expected) + " extra)" : " ("
                + (expected - actual) + " missing)"));
    }

    @Test
    @Tag("09-sparse-block-flops")
    @DisplayName("matches moelab's Cost for tiny, cifar and b16 blocks, K=2, E_s != E_c, dense slots (E=0), MoE_c inside, no re-representation")
    void sparseBlockFlopsMatchesToolkit() {
        SparseMlpConfig tiny = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        List<SparseMlpConfig> configs = List.of(tiny, ModelConfig.byName("sparse-mlp-cifar", SparseMlpConfig.class),
                ModelConfig.byName("sparse-mlp-b16", SparseMlpConfig.class),
                tiny.withName("tiny K=2").withMoe(tiny.moe().withTopK(2)),
                tiny.withName("tiny E_s=16 E_c=8").withTokenExperts(16).withMoe(tiny.moe().withExperts(8)),
                tiny.withName("tiny dense MoE_s").withTokenExperts(0),
                tiny.withName("tiny dense MoE_c").withMoe(tiny.moe().withExperts(0).withTopK(2)),
                tiny.withName("tiny inside").withChannelMoeInside(true).withMoe(tiny.moe().withExperts(8)),
                tiny.withName("tiny no RR").withReRepresentation(false).withMoe(tiny.moe().withTopK(2)),
                tiny.withName("tiny one expert").withTokenExperts(1).withMoe(tiny.moe().withExperts(1)));
        for (SparseMlpConfig config : configs) {
            long expected = toolkitBlockFlops(config);
            long actual = sparseBlockFlops(config);
            assertEquals(expected, actual, "sparseBlockFlops(" + describe(config) + "): expected " + expected
                    + " but was " + actual);
        }
    }

    @Test
    @Tag("09-sparse-block-flops")
    @DisplayName("padded buffers, sparse-mlp-tiny, B=64: 6,591,872 FLOPs per image (experts run E·capacity rows: 2,560 for MoE_s, 3,920 for MoE_c)")
    void sparseBlockPaddedFlopsGolden() {
        SparseMlpConfig tiny = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        // MoE_s: T = 64·32 = 2048 items, capacity ceil(2048·1.25/4) = 640, 4·640 = 2560 rows of 4·98·64 FLOPs
        // MoE_c: T = 64·49 = 3136 items, capacity ceil(3136·1.25/4) = 980, 4·980 = 3920 rows of 4·64·256 FLOPs
        double expected = 5_588_352.0 - 802_816 - 3_211_264 + 2560.0 * 4 * 98 * 64 / 64 + 3920.0 * 4 * 64 * 256 / 64;
        assertEquals(6_591_872.0, expected, 1e-6);
        double actual = sparseBlockPaddedFlops(tiny, 64);
        assertEquals(expected, actual, 1e-6 * expected, "sparseBlockPaddedFlops(" + describe(tiny) + ", B=64)");
    }

    @Test
    @Tag("09-sparse-block-flops")
    @DisplayName("padded buffers on other configs: capacity factor 1.0 with an even split costs no more than sparseBlockFlops; 2.0, K=2, no dropping (factor 0), B=3 follow ceil(K·T·factor/E)")
    void sparseBlockPaddedFlopsFollowsCapacity() {
        SparseMlpConfig tiny = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        SparseMlpConfig even = tiny.withName("tiny factor 1.0").withMoe(tiny.moe().withCapacityFactor(1.0));
        long useful = toolkitBlockFlops(even);
        double padded = sparseBlockPaddedFlops(even, 64);
        assertEquals(useful, padded, 1e-6 * useful, "sparseBlockPaddedFlops(" + describe(even) + ", B=64): T divisible"
                + " by E and factor 1.0 means no padding, so it should equal the useful FLOPs " + useful);
        List<SparseMlpConfig> configs = List.of(
                tiny.withName("tiny factor 2.0").withMoe(tiny.moe().withCapacityFactor(2.0)),
                tiny.withName("tiny K=2").withMoe(tiny.moe().withTopK(2)),
                tiny.withName("tiny no dropping").withMoe(tiny.moe().withCapacityFactor(0)),
                tiny.withName("tiny E_s=8 dense MoE_c").withTokenExperts(8).withMoe(tiny.moe().withExperts(0)),
                tiny.withName("tiny no RR").withReRepresentation(false));
        for (SparseMlpConfig config : configs) {
            for (int batch : new int[] {3, 64}) {
                double expected = paddedByFormula(config, batch);
                double actual = sparseBlockPaddedFlops(config, batch);
                assertEquals(expected, actual, 1e-6 * expected, "sparseBlockPaddedFlops(" + describe(config) + ", B="
                        + batch + ")");
            }
        }
    }

    /** Useful FLOPs with each MoE layer's k·T expert rows replaced by E·capacity rows. */
    private static double paddedByFormula(SparseMlpConfig c, int batch) {
        boolean rr = c.reRepresentation();
        long s = c.image().numPatches();
        long ch = c.mixer().width();
        long s2 = rr ? 2 * s : s;
        long c2 = rr ? ch / 2 : ch;
        boolean inside = rr && c.channelMoeInside();
        double flops = toolkitBlockFlops(c);
        MoePart moe = c.moe();
        flops += paddingOf(c.tokenExperts(), moe.topK(), moe.capacityFactor(), c2, 4.0 * s2 * c.mixer().tokenHidden(), batch);
        flops += paddingOf(moe.experts(), moe.topK(), moe.capacityFactor(), inside ? s2 : s,
                4.0 * (inside ? c2 : ch) * c.mixer().channelHidden(), batch);
        return flops;
    }

    private static double paddingOf(int experts, int topK, double factor, long itemsPerImage, double rowFlops, int batch) {
        if (experts == 0) {
            return 0;
        }
        int k = Math.min(topK, experts);
        long items = itemsPerImage * batch;
        long capacity = factor <= 0 ? items : Math.max(1, Math.min((long) Math.ceil(k * (double) items * factor / experts), items));
        return ((double) experts * capacity - (double) k * items) * rowFlops / batch;
    }
}
