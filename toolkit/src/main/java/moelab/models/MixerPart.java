package moelab.models;

/**
 * The Mixer part of an image model's config: the {@code (S, C)} grid and the widths of its
 * token-mixing and channel-mixing MLPs (Tolstikhin et al. 2021, Table 1).
 *
 * @param width {@code C}, channels per patch
 * @param tokenHidden {@code D_S}, token-mixing hidden width
 * @param channelHidden {@code D_C}, channel-mixing hidden width (each expert's, in {@code MoE_c})
 * @param blocks {@code N}, Mixer (or Sparse-MLP) blocks in all
 */
public record MixerPart(int width, int tokenHidden, int channelHidden, int blocks) {

    /** Checks the values. */
    public MixerPart {
        Checks.require(width >= 1, "mixer.width", width, "must be >= 1");
        Checks.require(tokenHidden >= 1, "mixer.token-hidden", tokenHidden, "must be >= 1");
        Checks.require(channelHidden >= 1, "mixer.channel-hidden", channelHidden, "must be >= 1");
        Checks.require(blocks >= 1, "mixer.blocks", blocks, "must be >= 1");
    }

    /** This part with {@code N = blocks}. */
    public MixerPart withBlocks(int blocks) {
        return new MixerPart(width, tokenHidden, channelHidden, blocks);
    }

    /** This part with {@code D_C = channelHidden}. */
    public MixerPart withChannelHidden(int channelHidden) {
        return new MixerPart(width, tokenHidden, channelHidden, blocks);
    }
}
