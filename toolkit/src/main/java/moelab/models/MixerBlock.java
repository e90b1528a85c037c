package moelab.models;

import moelab.mixing.ChannelMixingMlp;
import moelab.mixing.TokenMixingMlp;

/**
 * One MLP-Mixer block ({@link PreNormResidualBlock}): {@code x + TokenMixing(LN(x))}, then
 * {@code x + ChannelMixing(LN(x))}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}. Parameters
 * {@code 2·2C + (2 S D_S + D_S + S) + (2 C D_C + D_C + C)}.
 */
public final class MixerBlock extends PreNormResidualBlock {

    /**
     * @param patches {@code S}
     * @param channels {@code C}
     * @param tokenHidden {@code D_S}
     * @param channelHidden {@code D_C}
     */
    public MixerBlock(int patches, int channels, int tokenHidden, int channelHidden) {
        super("tokenNorm", "tokenMixing", new TokenMixingMlp(patches, tokenHidden),
                "channelNorm", "channelMixing", new ChannelMixingMlp(channels, channelHidden));
    }

    /** Parameters and FLOPs per image of one block. */
    static Cost cost(int patches, int channels, int tokenHidden, int channelHidden) {
        return Cost.layerNorm(channels)
                .plus(Cost.feedForward(patches, tokenHidden, channels))
                .plus(Cost.layerNorm(channels))
                .plus(Cost.feedForward(channels, channelHidden, patches));
    }
}
