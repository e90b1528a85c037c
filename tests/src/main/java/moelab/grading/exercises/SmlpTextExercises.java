package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.train.MoeObjective;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 07-smlp-text.ipynb}: bits per character, temperature sampling. */
@Forbids(exercise = "07-bpc", value = {"moelab.train.Evaluation", "ai.djl.training.loss.SoftmaxCrossEntropyLoss"})
@Forbids(exercise = "07-sample", value = {"moelab.models.CausalLanguageModel"})
class SmlpTextExercises extends NDArrayExercises {

    private double bpc(NDArray logits, NDArray targets) {
        return Student.method("bitsPerCharacter", NDArray.class, NDArray.class).call(Double.class, logits, targets);
    }

    private int sample(float[] logits, double temperature, Random random) {
        return Student.method("sample", float[].class, double.class, Random.class).call(Integer.class, logits, temperature, random);
    }

    /** A Random whose nextDouble() returns the given values in turn; any other draw fails. */
    private static final class Scripted extends Random {
        private final double[] values;
        private int next;

        Scripted(double... values) {
            this.values = values;
        }

        @Override
        public double nextDouble() {
            if (next >= values.length) {
                throw new AssertionError("nextDouble() called more often than once per sample"
                        + (values.length == 0 ? " (greedy decoding, temperature <= 0, must not draw at all)" : ""));
            }
            return values[next++];
        }

        @Override
        protected int next(int bits) {
            throw new AssertionError("use random.nextDouble() (once per sample), not other draws");
        }
    }

    private void assertSample(int expected, float[] logits, double temperature, double... u) {
        int actual = sample(logits, temperature, new Scripted(u));
        assertEquals(expected, actual, "input: logits " + Arrays.toString(logits) + ", temperature " + temperature
                + (u.length == 0 ? " (greedy)" : ", u = " + u[0]) + ": expected token " + expected + " but got " + actual);
    }

    private void assertBits(double expected, NDArray logits, NDArray targets, double tolerance, String input) {
        double actual = bpc(logits, targets);
        assertEquals(expected, actual, tolerance, "input: " + input + ": expected " + expected + " bits but got " + actual);
    }

    // ---- 07-bpc: double bitsPerCharacter(NDArray logits, NDArray targets) --------------------------

    @Test
    @Tag("07-bpc")
    @DisplayName("uniform logits over V=256 give 8 bits, over V=4 give 2 bits")
    void bpcUniform() {
        assertBits(8.0, manager.zeros(new Shape(2, 3, 256)), manager.create(new long[] {1, 2, 3, 4, 5, 6}).reshape(2, 3), 1e-4,
                "all-zero logits (2, 3, 256), targets [[1, 2, 3], [4, 5, 6]]");
        assertBits(2.0, manager.zeros(new Shape(1, 2, 4)), manager.create(new long[] {0, 3}).reshape(1, 2), 1e-5,
                "all-zero logits (1, 2, 4), targets [[0, 3]]");
    }

    @Test
    @Tag("07-bpc")
    @DisplayName("p = [1/4, 3/4]: target 1 costs -log2(3/4) = 0.415 bits, target 0 costs 2 bits; the mean is 1.2075")
    void bpcGolden() {
        float ln3 = (float) Math.log(3);
        NDArray logits = manager.create(new float[] {0, ln3, 0, ln3}).reshape(1, 2, 2);
        assertBits(-Math.log(0.75) / Math.log(2), logits.get(":, :1, :"), manager.create(new long[] {1}).reshape(1, 1), 1e-5,
                "logits [[[0, ln 3]]] (p = [1/4, 3/4]), targets [[1]]");
        assertBits((2 - Math.log(0.75) / Math.log(2)) / 2, logits, manager.create(new long[] {1, 0}).reshape(1, 2), 1e-5,
                "logits [[[0, ln 3], [0, ln 3]]], targets [[1, 0]]");
    }

    @Test
    @Tag("07-bpc")
    @DisplayName("on random logits (int32 targets too): equals moelab's cross-entropy / ln 2")
    void bpcMatchesToolkit() {
        manager.getEngine().setRandomSeed(31);
        NDArray logits = manager.randomNormal(0f, 3f, new Shape(3, 5, 11), DataType.FLOAT32);
        NDArray targets = manager.randomInteger(0, 11, new Shape(3, 5), DataType.INT32);
        double expected = new MoeObjective(ai.djl.nn.core.Linear.builder().setUnits(1).build(), 0)
                .taskLoss(logits, targets).getFloat() / Math.log(2);
        assertBits(expected, logits, targets, 1e-4, "random logits (3, 5, 11) with standard deviation 3, random int32 targets"
                + " (expected: moelab's cross-entropy / ln 2)");
    }

    @Test
    @Tag("07-bpc")
    @DisplayName("extreme logits [1000, 0, -1000]: target 0 costs 0 bits, target 1 costs 1000 / ln 2 = 1442.7 bits")
    void bpcExtremeLogits() {
        NDArray logits = manager.create(new float[] {1000, 0, -1000}).reshape(1, 1, 3);
        assertBits(0.0, logits, manager.create(new long[] {0}).reshape(1, 1), 1e-4, "logits [[[1000, 0, -1000]]], targets [[0]]");
        assertBits(1000 / Math.log(2), logits, manager.create(new long[] {1}).reshape(1, 1), 1e-2,
                "logits [[[1000, 0, -1000]]], targets [[1]]");
    }

    // ---- 07-sample: int sample(float[] logits, double temperature, Random random) -------------------

    @Test
    @Tag("07-sample")
    @DisplayName("temperature 0 returns the arg-max (first on ties) without drawing a random number")
    void sampleGreedy() {
        assertSample(2, new float[] {0.1f, -1f, 3f, 2.9f}, 0);
        assertSample(1, new float[] {0f, 5f, 5f}, 0);
        assertSample(0, new float[] {-7f}, 0);
    }

    @Test
    @Tag("07-sample")
    @DisplayName("p = [.25, .5, .25] at τ=1: u=0.2 -> 0, u=0.3 -> 1, u=0.8 -> 2; at τ=0.5, p = [1/6, 4/6, 1/6]: u=0.15 -> 0, u=0.2 -> 1, u=0.85 -> 2")
    void sampleInverseCdf() {
        float[] logits = {0f, (float) Math.log(2), 0f};
        assertSample(0, logits, 1.0, 0.2);
        assertSample(1, logits, 1.0, 0.3);
        assertSample(2, logits, 1.0, 0.8);
        assertSample(0, logits, 0.5, 0.15);
        assertSample(1, logits, 0.5, 0.2);
        assertSample(2, logits, 0.5, 0.85);
    }

    @Test
    @Tag("07-sample")
    @DisplayName("logits [500, 501] at τ=0.7 (p = [0.193, 0.807]): u=0.1 -> 0, u=0.5 -> 1; exp(500/0.7) overflows, subtract the max first")
    void sampleLargeLogitsDoNotOverflow() {
        float[] logits = {500f, 501f};
        assertSample(0, logits, 0.7, 0.1);
        assertSample(1, logits, 0.7, 0.5);
        assertSample(1, logits, 0.7, 0.95);
    }

    @Test
    @Tag("07-sample")
    @DisplayName("20,000 draws at τ=0.7 from large logits: frequencies match softmax(logits / τ) within 0.015")
    void sampleFrequencies() {
        float[] logits = {100f, 101f, 99.5f, 100.5f, 98f};
        double temperature = 0.7;
        float[] scaled = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scaled[i] = (float) (logits[i] / temperature);
        }
        float[] expected = manager.create(scaled).softmax(0).toFloatArray();
        Random random = new Random(5);
        int draws = 20_000;
        int[] counts = new int[logits.length];
        for (int n = 0; n < draws; n++) {
            counts[sample(logits, temperature, random)]++;
        }
        double[] frequencies = Arrays.stream(counts).mapToDouble(c -> c / (double) draws).toArray();
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], frequencies[i], 0.015, "input: logits " + Arrays.toString(logits) + ", temperature 0.7, "
                    + draws + " draws (Random(5)): expected frequencies " + Arrays.toString(expected) + " but got "
                    + Arrays.toString(frequencies) + " (token " + i + " is off)");
        }
    }
}
