package moelab.mixing;

/**
 * MLP-Mixer's token-mixing MLP: one {@link FeedForward} (hidden width {@code D_S}) applied along
 * the patch axis, to each channel's vector of {@code S} values, so it mixes patches within a
 * channel and never across channels. The same weights serve every channel.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)} (see {@link MixerSublayer}).
 */
public final class TokenMixingMlp extends MixerSublayer<FeedForward> {

    /**
     * @param patches {@code S}, the number of patches (tokens) the MLP mixes
     * @param hiddenDim {@code D_S}
     */
    public TokenMixingMlp(int patches, int hiddenDim) {
        super("mlp", new FeedForward(patches, hiddenDim), true);
    }

    /** The MLP applied to each channel's vector along the patch axis. */
    public FeedForward mlp() {
        return layer();
    }
}
