package moelab.mixing;

/**
 * MLP-Mixer's channel-mixing MLP: the same {@link FeedForward} (hidden width {@code D_C}) applied
 * to every patch's channel vector, so it mixes channels within a patch and never across patches.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)} (see {@link MixerSublayer}).
 */
public final class ChannelMixingMlp extends MixerSublayer<FeedForward> {

    /**
     * @param channels {@code C}
     * @param hiddenDim {@code D_C}
     */
    public ChannelMixingMlp(int channels, int hiddenDim) {
        super("mlp", new FeedForward(channels, hiddenDim), false);
    }

    /** The MLP applied to each channel vector. */
    public FeedForward mlp() {
        return layer();
    }
}
