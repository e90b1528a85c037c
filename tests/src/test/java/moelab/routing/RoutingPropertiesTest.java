package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Invariants every router keeps on random logits. */
class RoutingPropertiesTest {

    @Provide
    Arbitrary<Router> routers() {
        return Arbitraries.of(List.of(
                new SwitchRouter(1.0), new SwitchRouter(0.5), new GShardRouter(1.0),
                new GShardRouter(0.3), new TopKRouter(2, -1, 1.25, false, Priority.BATCH_ORDER),
                new BatchPriorityRouter(1, 0.75, -1), new BatchPriorityRouter(2, 1.0, 0),
                new ExpertChoiceRouter(1.0), new ExpertChoiceRouter(2.0), new BaseRouter(),
                new DeterministicRouter(), new SwitchRouter(0)));
    }

    private static Routing route(Router router, int tokens, int experts, long seed, boolean train) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new Shape(tokens, experts)).mul(2);
            return router.route(logits, train);
        }
    }

    @Property(tries = 60)
    void noExpertExceedsCapacityAndRowsAreUnique(
            @ForAll("routers") Router router,
            @ForAll @IntRange(min = 1, max = 40) int tokens,
            @ForAll @IntRange(min = 2, max = 6) int experts,
            @ForAll long seed,
            @ForAll boolean training) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new Shape(tokens, experts)).mul(2);
            Routing r = router.route(logits, training);
            Set<Long> rows = new HashSet<>();
            for (int t = 0; t < tokens; t++) {
                Set<Integer> expertsOfToken = new HashSet<>();
                for (int s = 0; s < r.slots(); s++) {
                    if (r.kept(t, s)) {
                        assertThat(r.position(t, s)).isBetween(0, r.capacity() - 1);
                        assertThat(rows.add((long) r.expert(t, s) * r.capacity() + r.position(t, s)))
                                .as("buffer row used twice").isTrue();
                    }
                    if (r.expert(t, s) >= 0) {
                        assertThat(expertsOfToken.add(r.expert(t, s)))
                                .as("token sent twice to one expert").isTrue();
                    }
                }
            }
            for (int load : r.expertLoad()) {
                assertThat(load).isLessThanOrEqualTo(r.capacity());
            }
            assertThat(r.dropped() + rows.size()).isEqualTo(r.assigned());
        }
    }

    @Property(tries = 40)
    void keptWeightsAreTheRouterProbabilitiesAndDroppedWeightsAreZero(
            @ForAll @IntRange(min = 1, max = 30) int tokens,
            @ForAll @IntRange(min = 2, max = 6) int experts,
            @ForAll @DoubleRange(min = 0.2, max = 2.0) double capacityFactor,
            @ForAll long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new Shape(tokens, experts));
            Routing r = new TopKRouter(2, 0, capacityFactor, false, Priority.BATCH_ORDER)
                    .route(logits, false);
            float[] probs = r.probs().toFloatArray();
            float[] weights = r.weights().toFloatArray();
            for (int t = 0; t < tokens; t++) {
                for (int s = 0; s < r.slots(); s++) {
                    float expected = r.kept(t, s) ? probs[t * experts + r.expert(t, s)] : 0f;
                    assertThat(weights[t * r.slots() + s]).isCloseTo(expected, within(1e-6f));
                }
            }
        }
    }

    @Property(tries = 20)
    void noDroppingWithoutCapacityLimit(
            @ForAll @IntRange(min = 1, max = 50) int tokens,
            @ForAll @IntRange(min = 2, max = 8) int experts,
            @ForAll long seed) {
        Routing r = route(new TopKRouter(2, -1, 0, true, Priority.TOP_GATE), tokens, experts, seed,
                true);
        assertThat(r.dropped()).isZero();
        assertThat(r.assigned()).isEqualTo(2 * tokens);
    }

    @Property(tries = 20)
    void sameSeedSameNoisyRouting(
            @ForAll @IntRange(min = 1, max = 30) int tokens,
            @ForAll @IntRange(min = 2, max = 6) int experts,
            @ForAll long seed) {
        Router router = new BatchPriorityRouter(1, 1.0, -1);
        Routing a = route(router, tokens, experts, seed, true);
        Routing b = route(router, tokens, experts, seed, true);
        assertThat(a.experts()).isEqualTo(b.experts());
        assertThat(a.positions()).isEqualTo(b.positions());
    }

    @Property(tries = 20)
    void baseGivesEveryExpertItsShareDuringTraining(
            @ForAll @IntRange(min = 1, max = 10) int perExpert,
            @ForAll @IntRange(min = 2, max = 6) int experts,
            @ForAll long seed) {
        Routing r = route(new BaseRouter(), perExpert * experts, experts, seed, true);
        assertThat(r.expertLoad()).containsOnly(perExpert);
    }
}
