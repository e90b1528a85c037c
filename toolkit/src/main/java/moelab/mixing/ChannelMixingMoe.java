package moelab.mixing;

import moelab.moe.MoeLayer;

/**
 * Sparse-MLP's {@code MoE_c}: channel-mixing experts. Each patch's channel vector (length
 * {@code C}) is one routed item, sent by the gate to its expert channel-mixing MLP(s). With one
 * expert it is a {@link ChannelMixingMlp}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)} (see {@link MixerSublayer}); the wrapped
 * {@link MoeLayer} sees {@code B·S} items of width {@code C}.
 */
public final class ChannelMixingMoe extends MixerSublayer<MoeLayer> {

    /** @param moe an MoE layer whose item width {@code d} is the number of channels {@code C} */
    public ChannelMixingMoe(MoeLayer moe) {
        super("moe", moe, false);
    }

    /** The MoE layer over the patches' channel vectors. */
    public MoeLayer moe() {
        return layer();
    }
}
