package moelab.grading.exercises;

import static moelab.grading.exercises.ArrayMessages.assertArrayClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import moelab.grading.Forbids;
import moelab.grading.Student;
import moelab.mixing.TokenMixingMlp;
import moelab.models.PatchEmbedding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises of {@code 05-sparse-mlp-images.ipynb}: patchify, the token-mixing MLP. */
@Forbids(exercise = "05-patchify", value = {"moelab.models.PatchEmbedding"})
@Forbids(exercise = "05-token-mixing", value = {"moelab.mixing.TokenMixingMlp", "moelab.mixing.TokenMixingMoe", "moelab.mixing.MixerSublayer", "moelab.models.MixerBlock"})
class SparseMlpImagesExercises extends NDArrayExercises {

    private NDArray patchify(NDArray images, int patchSize) {
        return Student.method("patchify", NDArray.class, int.class).call(NDArray.class, images, patchSize);
    }

    private NDArray tokenMixing(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
        return Student.method("tokenMixing", NDArray.class, NDArray.class, NDArray.class, NDArray.class,
                NDArray.class).call(NDArray.class, x, w1, b1, w2, b2);
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and values, naming the input, both arrays and the first difference. */
    // ---- 05-patchify: NDArray patchify(NDArray images, int patchSize), (B, ch, H, W) -> (B, S, ch·P·P)

    @Test
    @Tag("05-patchify")
    @DisplayName("a 4x4 image 0..15 with P=2 gives patches [0,1,4,5], [2,3,6,7], [8,9,12,13], [10,11,14,15]")
    void patchifyGolden() {
        NDArray p = patchify(manager.arange(16f).reshape(1, 1, 4, 4), 2);
        assertEquals(new Shape(1, 4, 4), p.getShape(), "input: a (1, 1, 4, 4) image 0..15, P=2: output shape (B, S, ch·P·P)");
        assertArrayClose("input: a (1, 1, 4, 4) image 0..15, P=2",
                new float[] {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15}, p.toFloatArray(), 0f);
    }

    @Test
    @Tag("05-patchify")
    @DisplayName("two colour channels, a 2x4 image, P=2: a patch holds channel 0's pixels, then channel 1's")
    void patchifyChannelsFirst() {
        // channel 0 = 0..7, channel 1 = 100..107, each a 2x4 image
        NDArray image = manager.arange(8f).reshape(1, 1, 2, 4).concat(manager.arange(100f, 108f).reshape(1, 1, 2, 4), 1);
        NDArray p = patchify(image, 2);
        String input = "input: a (1, 2, 2, 4) image, channel 0 = 0..7, channel 1 = 100..107, P=2";
        assertEquals(new Shape(1, 2, 8), p.getShape(), input + ": output shape (B, S, ch·P·P)");
        assertArrayClose(input, new float[] {0, 1, 4, 5, 100, 101, 104, 105, 2, 3, 6, 7, 102, 103, 106, 107}, p.toFloatArray(), 0f);
    }

    @Test
    @Tag("05-patchify")
    @DisplayName("a non-square (1, 1, 4, 6) image with P=2 (a 2x3 grid) and one patch as large as a 4x4 image")
    void patchifyNonSquareAndWholeImage() {
        NDArray p = patchify(manager.arange(24f).reshape(1, 1, 4, 6), 2);
        assertArrayClose("input: a (1, 1, 4, 6) image 0..23, P=2 (patches in row-major grid order)",
                manager.create(new float[] {0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11, 12, 13, 18, 19, 14, 15, 20, 21, 16, 17, 22, 23},
                        new Shape(1, 6, 4)), p, 0f);
        NDArray whole = patchify(manager.arange(16f).reshape(1, 1, 4, 4), 4);
        assertArrayClose("input: a (1, 1, 4, 4) image 0..15, P=4 (one patch: the whole image)",
                manager.arange(16f).reshape(1, 1, 16), whole, 0f);
    }

    @Test
    @Tag("05-patchify")
    @DisplayName("on random (3, 1, 28, 28) and (2, 3, 8, 8) images: equals moelab's PatchEmbedding with an identity map")
    void patchifyMatchesPatchEmbedding() {
        manager.getEngine().setRandomSeed(11);
        checkAgainstEmbedding(manager.randomNormal(new Shape(3, 1, 28, 28)), 4);
        checkAgainstEmbedding(manager.randomNormal(new Shape(2, 3, 8, 8)), 2);
    }

    private void checkAgainstEmbedding(NDArray images, int patchSize) {
        int channels = (int) images.getShape().get(1);
        int width = channels * patchSize * patchSize;
        PatchEmbedding embedding = new PatchEmbedding(channels, patchSize, width);
        embedding.initialize(manager, DataType.FLOAT32, images.getShape());
        for (var p : embedding.getParameters()) { // the linear map becomes the identity
            p.getValue().getArray().set(p.getKey().endsWith("weight") ? manager.eye(width).toFloatArray() : new float[width]);
        }
        NDArray expected = embedding.forward(new ParameterStore(manager, false), new NDList(images), false).head();
        NDArray actual = patchify(images, patchSize);
        assertArrayClose("input: random images " + images.getShape() + ", P=" + patchSize
                + " (expected: PatchEmbedding with an identity map)", expected, actual, 1e-5f);
    }

    // ---- 05-token-mixing: NDArray tokenMixing(x, w1, b1, w2, b2), (B, S, C) -> (B, S, C) --------

    @Test
    @Tag("05-token-mixing")
    @DisplayName("zero W1, b1 (so GELU(0) = 0): every channel of patch s comes out as b2[s]")
    void tokenMixingBiasGoesAlongPatches() {
        NDArray x = manager.randomNormal(new Shape(2, 3, 5)); // B=2, S=3, C=5
        NDArray w1 = manager.zeros(new Shape(3, 4));
        NDArray b1 = manager.zeros(new Shape(4));
        NDArray w2 = manager.ones(new Shape(4, 3));
        NDArray b2 = manager.create(new float[] {1, 2, 3});
        NDArray y = tokenMixing(x, w1, b1, w2, b2);
        float[] expected = new float[30];
        for (int i = 0; i < 30; i++) {
            expected[i] = 1 + (i / 5) % 3;
        }
        assertArrayClose("input: random x (B=2, S=3, C=5), W1 = 0 (3, 4), b1 = 0, W2 = 1 (4, 3), b2 = [1, 2, 3]",
                manager.create(expected, new Shape(2, 3, 5)), y, 1e-6f);
    }

    @Test
    @Tag("05-token-mixing")
    @DisplayName("mixes patches, not channels: changing channel 0 changes only channel 0 of the output")
    void tokenMixingKeepsChannelsApart() {
        manager.getEngine().setRandomSeed(12);
        NDArray x = manager.randomNormal(new Shape(1, 4, 3));
        NDArray w1 = manager.randomNormal(new Shape(4, 6));
        NDArray b1 = manager.randomNormal(new Shape(6));
        NDArray w2 = manager.randomNormal(new Shape(6, 4));
        NDArray b2 = manager.randomNormal(new Shape(4));
        NDArray changed = x.duplicate();
        changed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0"), manager.randomNormal(new Shape(1, 4)));
        float[] before = tokenMixing(x, w1, b1, w2, b2).toFloatArray();
        float[] after = tokenMixing(changed, w1, b1, w2, b2).toFloatArray();
        String input = "input: random x (B=1, S=4, C=3), D_S=6, then channel 0 of x replaced";
        boolean channel0Changed = false;
        for (int i = 0; i < before.length; i++) {
            if (i % 3 == 0) {
                channel0Changed |= Math.abs(before[i] - after[i]) > 1e-4;
            } else {
                assertEquals(before[i], after[i], 1e-6f, input + ": output element " + i + " (patch " + i / 3
                        + ", channel " + (i % 3) + ") expected unchanged at " + before[i] + " but was " + after[i]);
            }
        }
        assertTrue(channel0Changed, input + ": expected channel 0 of the output to change, but it stayed "
                + Arrays.toString(before));
    }

    @Test
    @Tag("05-token-mixing")
    @DisplayName("on random inputs: equals moelab's TokenMixingMlp with the same weights")
    void tokenMixingMatchesToolkit() {
        manager.getEngine().setRandomSeed(13);
        checkAgainstToolkit(manager.randomNormal(new Shape(3, 7, 5)), 9, 1f, "random x (B=3, S=7, C=5), D_S=9");
    }

    @Test
    @Tag("05-token-mixing")
    @DisplayName("large inputs (x of size about 100): still equals TokenMixingMlp, no overflow")
    void tokenMixingLargeInputs() {
        manager.getEngine().setRandomSeed(14);
        checkAgainstToolkit(manager.randomNormal(new Shape(2, 5, 4)).mul(100), 6, 1f,
                "x = 100 · random (B=2, S=5, C=4), D_S=6");
    }

    private void checkAgainstToolkit(NDArray x, int hidden, float weightScale, String input) {
        int patches = (int) x.getShape().get(1);
        TokenMixingMlp mlp = new TokenMixingMlp(patches, hidden);
        mlp.initialize(manager, DataType.FLOAT32, x.getShape());
        Parameter[] w = mlp.mlp().weights();
        for (Parameter p : w) {
            p.getArray().set(manager.randomNormal(p.getArray().getShape()).mul(weightScale).toFloatArray());
        }
        NDArray expected = mlp.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray actual = tokenMixing(x, w[0].getArray(), w[1].getArray(), w[2].getArray(), w[3].getArray());
        assertFalse(actual.isNaN().any().getBoolean(), "input: " + input + ": the output holds NaN");
        assertArrayClose("input: " + input + ", random W1, b1, W2, b2 (expected: TokenMixingMlp)", expected, actual, 1e-4f);
    }
}
