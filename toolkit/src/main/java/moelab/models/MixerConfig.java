package moelab.models;

/**
 * An MLP-Mixer (Tolstikhin et al. 2021): {@code (B, channels, H, W)} images in, {@code (B,
 * classes)} logits out. Mixer-B/16 is {@code image = (224, 3, 16, 1000)}, {@code mixer = (768,
 * 384, 3072, 12)}: 59,880,472 parameters.
 *
 * @param name a label for tables and logs
 * @param image the images and classes
 * @param mixer the {@code (S, C)} grid's widths and depth
 */
public record MixerConfig(String name, ImagePart image, MixerPart mixer)
        implements ImageModelConfig {

    /** Checks that every part is there. */
    public MixerConfig {
        Checks.name(name);
        Checks.present("image", image);
        Checks.present("mixer", mixer);
    }

    @Override
    public Family family() {
        return Family.MIXER;
    }

    @Override
    public MlpMixer build() {
        return new MlpMixer(this);
    }

    @Override
    public MixerConfig withName(String name) {
        return new MixerConfig(name, image, mixer);
    }

    /** This config with another Mixer part (e.g. {@code mixer().withBlocks(2)}). */
    public MixerConfig withMixer(MixerPart mixer) {
        return new MixerConfig(name, image, mixer);
    }

    /** This config with other images. */
    public MixerConfig withImage(ImagePart image) {
        return new MixerConfig(name, image, mixer);
    }
}
