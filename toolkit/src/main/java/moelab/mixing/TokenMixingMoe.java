package moelab.mixing;

import moelab.moe.MoeLayer;

/**
 * Sparse-MLP's {@code MoE_s}: token-mixing experts. Each channel's vector along the patch axis
 * (length {@code S}) is one routed item, sent by the gate to its expert token-mixing MLP(s), so
 * different channels mix their patches with different experts. With one expert it is a
 * {@link TokenMixingMlp}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)} (see {@link MixerSublayer}); the wrapped
 * {@link MoeLayer} sees {@code B·C} items of width {@code S}. That layer adds its routing and aux
 * loss to the forward pass's {@link moelab.moe.AuxLosses} record; {@link
 * moelab.moe.MoeBlock#findAll} finds it for inspection.
 */
public final class TokenMixingMoe extends MixerSublayer<MoeLayer> {

    /** @param moe an MoE layer whose item width {@code d} is the number of patches {@code S} */
    public TokenMixingMoe(MoeLayer moe) {
        super("moe", moe, true);
    }

    /** The MoE layer over the channel columns. */
    public MoeLayer moe() {
        return layer();
    }
}
