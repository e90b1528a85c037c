package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
                throw new AssertionError("nextDouble() called more often than once per sample");
            }
            return values[next++];
        }

        @Override
        protected int next(int bits) {
            throw new AssertionError("use random.nextDouble() (once per sample), not other draws");
        }
    }

    // ---- 07-bpc: double bitsPerCharacter(NDArray logits, NDArray targets) --------------------------

    @Test
    @Tag("07-bpc")
    @DisplayName("uniform logits over V=256 give 8 bits, over V=4 give 2 bits")
    void bpcUniform() {
        assertEquals(8.0, bpc(manager.zeros(new Shape(2, 3, 256)), manager.create(new long[] {1, 2, 3, 4, 5, 6}).reshape(2, 3)), 1e-4);
        assertEquals(2.0, bpc(manager.zeros(new Shape(1, 2, 4)), manager.create(new long[] {0, 3}).reshape(1, 2)), 1e-5);
    }

    @Test
    @Tag("07-bpc")
    @DisplayName("p = [1/4, 3/4]: target 1 costs -log2(3/4) = 0.415 bits, target 0 costs 2 bits; the mean is 1.2075")
    void bpcGolden() {
        float ln3 = (float) Math.log(3);
        NDArray logits = manager.create(new float[] {0, ln3, 0, ln3}).reshape(1, 2, 2);
        assertEquals(-Math.log(0.75) / Math.log(2), bpc(logits.get(":, :1, :"), manager.create(new long[] {1}).reshape(1, 1)), 1e-5);
        assertEquals((2 - Math.log(0.75) / Math.log(2)) / 2, bpc(logits, manager.create(new long[] {1, 0}).reshape(1, 2)), 1e-5);
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
        assertEquals(expected, bpc(logits, targets), 1e-4);
    }

    // ---- 07-sample: int sample(float[] logits, double temperature, Random random) -------------------

    @Test
    @Tag("07-sample")
    @DisplayName("temperature 0 returns the arg-max (first on ties) without drawing a random number")
    void sampleGreedy() {
        assertEquals(2, sample(new float[] {0.1f, -1f, 3f, 2.9f}, 0, new Scripted()));
        assertEquals(1, sample(new float[] {0f, 5f, 5f}, 0, new Scripted()));
        assertEquals(0, sample(new float[] {-7f}, 0, new Scripted()));
    }

    @Test
    @Tag("07-sample")
    @DisplayName("p = [.25, .5, .25] at τ=1: u=0.2 -> 0, u=0.3 -> 1, u=0.8 -> 2; at τ=0.5, p = [1/6, 4/6, 1/6]: u=0.15 -> 0, u=0.2 -> 1, u=0.85 -> 2")
    void sampleInverseCdf() {
        float[] logits = {0f, (float) Math.log(2), 0f};
        assertEquals(0, sample(logits, 1.0, new Scripted(0.2)));
        assertEquals(1, sample(logits, 1.0, new Scripted(0.3)));
        assertEquals(2, sample(logits, 1.0, new Scripted(0.8)));
        assertEquals(0, sample(logits, 0.5, new Scripted(0.15)));
        assertEquals(1, sample(logits, 0.5, new Scripted(0.2)));
        assertEquals(2, sample(logits, 0.5, new Scripted(0.85)));
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
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], counts[i] / (double) draws, 0.015, "frequency of token " + i);
        }
    }
}
