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

    private final int patches;
    private final MixerPart mixer;

    /**
     * @param patches {@code S}
     * @param mixer {@code C}, {@code D_S}, {@code D_C}
     */
    public MixerBlock(int patches, MixerPart mixer) {
        super("tokenNorm", "tokenMixing", new TokenMixingMlp(patches, mixer.tokenHidden()),
                "channelNorm", "channelMixing",
                new ChannelMixingMlp(mixer.width(), mixer.channelHidden()));
        this.patches = patches;
        this.mixer = mixer;
    }

    /** Parameters and FLOPs per image: token mixing on {@code C} columns, channel mixing on {@code S} rows. */
    @Override
    public Cost cost() {
        long c = mixer.width();
        return Cost.layerNorm(c)
                .plus(Cost.feedForward(patches, mixer.tokenHidden(), c))
                .plus(Cost.layerNorm(c))
                .plus(Cost.feedForward(c, mixer.channelHidden(), patches));
    }
}
