package moelab.models;

import ai.djl.ndarray.types.Shape;

/**
 * The config of an image classifier built on MLP-Mixer: {@code (B, channels, H, W)} images in,
 * {@code (B, classes)} logits out. Image models are not causal: every patch sees every other.
 */
public sealed interface ImageModelConfig extends ModelConfig permits MixerConfig, SparseMlpConfig {

    /** The images and classes. */
    ImagePart image();

    /** The {@code (S, C)} grid's widths and depth. */
    MixerPart mixer();

    @Override
    default Shape inputShape(long batch) {
        return image().inputShape(batch);
    }

    @Override
    default int outputSize() {
        return image().numClasses();
    }

    @Override
    default boolean causalInTraining() {
        return false;
    }

    @Override
    default boolean causalInEvaluation() {
        return false;
    }
}
