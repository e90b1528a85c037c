package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.models.MoeFlops;
import moelab.moe.ExpertOrder;
import moelab.moe.SortedDispatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 11-cost-and-speed.ipynb}: MoE FLOPs with padding, sort-then-grouped dispatch. */
@Forbids(exercise = "11-moe-flops", value = {"moelab.models.MoeFlops"})
@Forbids(exercise = "11-sort-dispatch", value = {"moelab.moe.SortedDispatch"})
class CostSpeedExercises extends NDArrayExercises {

    // ---- 11-moe-flops: double moeFlopsPerToken(int T, int d, int h, int E, int k, double cf) ----------

    private double flops(int tokens, int d, int h, int experts, int k, double cf) {
        return Student.method("moeFlopsPerToken", int.class, int.class, int.class, int.class, int.class, double.class)
                .call(Double.class, tokens, d, h, experts, k, cf);
    }

    private void checkFlops(int tokens, int d, int h, int experts, int k, double cf, double expected) {
        double got = flops(tokens, d, h, experts, k, cf);
        assertEquals(expected, got, 1e-9 * Math.max(1, expected), String.format(
                "moeFlopsPerToken(T=%d, d=%d, h=%d, E=%d, k=%d, cf=%s): expected %s, got %s",
                tokens, d, h, experts, k, cf, expected, got));
    }

    @Test
    @Tag("11-moe-flops")
    @DisplayName("T=8, d=4, h=8, E=2, k=1: cf 1.0 -> 144 (router 16 + 2·4 rows·128/8), cf 1.25 -> 176 (C = 5: padding counts)")
    void flopsGoldenPadding() {
        checkFlops(8, 4, 8, 2, 1, 1.0, 144);
        checkFlops(8, 4, 8, 2, 1, 1.25, 176);
        checkFlops(8, 4, 8, 2, 1, 2.0, 16 + 2 * 8 * 128 / 8.0);
    }

    @Test
    @Tag("11-moe-flops")
    @DisplayName("E=3 does not divide T=8: C = ceil(8/3) = 3, 9 rows -> 24 + 9·128/8 = 168; router FLOPs 2·d·E grow with E")
    void flopsGoldenUnevenAndRouter() {
        checkFlops(8, 4, 8, 3, 1, 1.0, 168);
        checkFlops(8, 4, 8, 1, 1, 1.0, 8 + 128);
        checkFlops(8, 4, 8, 8, 1, 1.0, 64 + 128);
    }

    @Test
    @Tag("11-moe-flops")
    @DisplayName("cf <= 0 (dropless, sorted): exactly k·T rows, no padding: 2dE + 4dhk per token")
    void flopsDropless() {
        checkFlops(8, 4, 8, 2, 2, 0, 16 + 256);
        checkFlops(100, 16, 64, 7, 1, -1, 2 * 16 * 7 + 4 * 16 * 64);
    }

    @Test
    @Tag("11-moe-flops")
    @DisplayName("on a grid of T, d, h, E, k, cf (capacity at most T, at least 1): same as ceil(k·T·cf/E) padded rows")
    void flopsGrid() {
        Random random = new Random(11);
        for (int i = 0; i < 60; i++) {
            int tokens = 1 + random.nextInt(300), d = 1 + random.nextInt(64), h = 1 + random.nextInt(256);
            int experts = 1 + random.nextInt(32), k = 1 + random.nextInt(Math.min(experts, 3));
            double cf = new double[] {0, 0.5, 1.0, 1.25, 2.0, 4.0}[random.nextInt(6)];
            checkFlops(tokens, d, h, experts, k, cf, MoeFlops.perToken(tokens, d, h, experts, k, cf));
        }
    }

    // ---- 11-sort-dispatch: ExpertOrder sortByExpert(int[] expert, int numExperts) --------------------

    private ExpertOrder sort(int[] expert, int experts) {
        ExpertOrder got = Student.method("sortByExpert", int[].class, int.class)
                .call(ExpertOrder.class, expert.clone(), experts);
        if (got == null) {
            fail("sortByExpert(" + Arrays.toString(expert) + ", " + experts + ") returned null");
        }
        return got;
    }

    private static void checkOrder(int[] expert, int experts, ExpertOrder expected, ExpertOrder got) {
        String input = "sortByExpert(" + Arrays.toString(expert) + ", E=" + experts + ")";
        if (!Arrays.equals(expected.order(), got.order())) {
            fail(input + ": order expected " + Arrays.toString(expected.order()) + ", got " + Arrays.toString(got.order()));
        }
        if (!Arrays.equals(expected.offsets(), got.offsets())) {
            fail(input + ": offsets (E + 1 of them) expected " + Arrays.toString(expected.offsets()) + ", got " + Arrays.toString(got.offsets()));
        }
        if (!Arrays.equals(expected.inverse(), got.inverse())) {
            fail(input + ": inverse expected " + Arrays.toString(expected.inverse()) + ", got " + Arrays.toString(got.inverse()));
        }
    }

    @Test
    @Tag("11-sort-dispatch")
    @DisplayName("experts [2, 0, 1, 0, 2] over E=3: order [1, 3, 2, 0, 4], offsets [0, 2, 3, 5], inverse [3, 0, 2, 1, 4]")
    void sortGolden() {
        int[] expert = {2, 0, 1, 0, 2};
        checkOrder(expert, 3, new ExpertOrder(new int[] {1, 3, 2, 0, 4}, new int[] {0, 2, 3, 5}, new int[] {3, 0, 2, 1, 4}), sort(expert, 3));
    }

    @Test
    @Tag("11-sort-dispatch")
    @DisplayName("stable on ties: tokens of one expert keep their original order ([1, 1, 1, 1] -> order [0, 1, 2, 3])")
    void sortStable() {
        int[] same = {1, 1, 1, 1};
        checkOrder(same, 2, new ExpertOrder(new int[] {0, 1, 2, 3}, new int[] {0, 0, 4}, new int[] {0, 1, 2, 3}), sort(same, 2));
        int[] mixed = {0, 1, 0, 1, 0, 1, 1, 0};
        checkOrder(mixed, 2, new ExpertOrder(new int[] {0, 2, 4, 7, 1, 3, 5, 6}, new int[] {0, 4, 8}, new int[] {0, 4, 1, 5, 2, 6, 7, 3}), sort(mixed, 2));
    }

    @Test
    @Tag("11-sort-dispatch")
    @DisplayName("empty experts get empty ranges: [3, 1] over E=5 -> offsets [0, 0, 1, 1, 2, 2]; no tokens -> all zeros")
    void sortEmptyExperts() {
        int[] expert = {3, 1};
        checkOrder(expert, 5, new ExpertOrder(new int[] {1, 0}, new int[] {0, 0, 1, 1, 2, 2}, new int[] {1, 0}), sort(expert, 5));
        checkOrder(new int[0], 3, new ExpertOrder(new int[0], new int[] {0, 0, 0, 0}, new int[0]), sort(new int[0], 3));
    }

    @Test
    @Tag("11-sort-dispatch")
    @DisplayName("on random assignments (T up to 200, E up to 16): order[inverse[t]] = t, sorted experts never decrease, same as a stable sort")
    void sortRoundTrip() {
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            int experts = 1 + random.nextInt(16);
            int[] expert = random.ints(random.nextInt(200), 0, experts).toArray();
            ExpertOrder got = sort(expert, experts);
            String input = "sortByExpert(" + Arrays.toString(expert) + ", E=" + experts + ")";
            assertEquals(expert.length, got.order().length, input + ": order length");
            assertEquals(expert.length, got.inverse().length, input + ": inverse length");
            for (int t = 0; t < expert.length; t++) {
                int back = got.order()[got.inverse()[t]];
                assertTrue(back == t, input + ": round trip order[inverse[" + t + "]] expected " + t + ", got " + back);
            }
            for (int r = 1; r < expert.length; r++) {
                int before = expert[got.order()[r - 1]], now = expert[got.order()[r]];
                assertTrue(before <= now, input + ": sorted experts must not decrease, row " + (r - 1) + " has expert " + before + " and row " + r + " has " + now);
            }
            checkOrder(expert, experts, SortedDispatch.order(expert, experts), got);
        }
    }
}
