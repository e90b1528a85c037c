package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
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

    // ---- 05-patchify: NDArray patchify(NDArray images, int patchSize), (B, ch, H, W) -> (B, S, ch·P·P)

    @Test
    @Tag("05-patchify")
    @DisplayName("a 4x4 image 0..15 with P=2 gives patches [0,1,4,5], [2,3,6,7], [8,9,12,13], [10,11,14,15]")
    void patchifyGolden() {
        NDArray p = patchify(manager.arange(16f).reshape(1, 1, 4, 4), 2);
        assertEquals(new Shape(1, 4, 4), p.getShape(), "(B, S, ch·P·P)");
        assertArrayEquals(new float[] {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15}, p.toFloatArray());
    }

    @Test
    @Tag("05-patchify")
    @DisplayName("two colour channels, a 2x4 image, P=2: a patch holds channel 0's pixels, then channel 1's")
    void patchifyChannelsFirst() {
        // channel 0 = 0..7, channel 1 = 100..107, each a 2x4 image
        NDArray image = manager.arange(8f).reshape(1, 1, 2, 4).concat(manager.arange(100f, 108f).reshape(1, 1, 2, 4), 1);
        NDArray p = patchify(image, 2);
        assertEquals(new Shape(1, 2, 8), p.getShape(), "(B, S, ch·P·P)");
        assertArrayEquals(new float[] {0, 1, 4, 5, 100, 101, 104, 105, 2, 3, 6, 7, 102, 103, 106, 107}, p.toFloatArray());
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
        assertEquals(expected.getShape(), actual.getShape(), "shape for " + images.getShape() + ", P=" + patchSize);
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
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
        assertEquals(new Shape(2, 3, 5), y.getShape(), "(B, S, C)");
        float[] expected = new float[30];
        for (int i = 0; i < 30; i++) {
            expected[i] = 1 + (i / 5) % 3;
        }
        assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
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
        boolean channel0Changed = false;
        for (int i = 0; i < before.length; i++) {
            if (i % 3 == 0) {
                channel0Changed |= Math.abs(before[i] - after[i]) > 1e-4;
            } else {
                assertEquals(before[i], after[i], 1e-6f, "output element " + i + " (channel " + (i % 3) + ") changed");
            }
        }
        assertTrue(channel0Changed, "channel 0 of the output should depend on channel 0 of the input");
    }

    @Test
    @Tag("05-token-mixing")
    @DisplayName("on random inputs: equals moelab's TokenMixingMlp with the same weights")
    void tokenMixingMatchesToolkit() {
        manager.getEngine().setRandomSeed(13);
        NDArray x = manager.randomNormal(new Shape(3, 7, 5)); // B=3, S=7, C=5
        TokenMixingMlp mlp = new TokenMixingMlp(7, 9);
        mlp.initialize(manager, DataType.FLOAT32, x.getShape());
        Parameter[] w = mlp.mlp().weights();
        for (Parameter p : w) {
            p.getArray().set(manager.randomNormal(p.getArray().getShape()).toFloatArray());
        }
        NDArray expected = mlp.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray actual = tokenMixing(x, w[0].getArray(), w[1].getArray(), w[2].getArray(), w[3].getArray());
        assertEquals(expected.getShape(), actual.getShape(), "(B, S, C)");
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-4f);
    }
}
