package moelab.models;

/**
 * The config of an image classifier built on MLP-Mixer: {@code (B, channels, H, W)} images in,
 * {@code (B, classes)} logits out.
 */
public sealed interface ImageModelConfig extends ModelConfig permits MixerConfig, SparseMlpConfig {

    /** The images and classes. */
    ImagePart image();

    /** The {@code (S, C)} grid's widths and depth. */
    MixerPart mixer();
}
