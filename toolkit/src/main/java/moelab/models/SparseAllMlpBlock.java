package moelab.models;

import moelab.mixing.FeedForward;
import moelab.mixing.SpatialMoe;

/**
 * One sparse block of sMLP (Yu et al. 2022): sMoE for token mixing (in place of gMLP's spatial
 * gating unit or a Transformer's attention), then tMoE for feature mixing (in place of the FFN),
 * each pre-normalised with a residual ({@link PreNormResidualBlock}):
 *
 * <pre>
 * x = x + sMoE(LN(x))     hidden dimension in E_s chunks, chunk i → expert i, causal (T, T) mixing
 * x = x + tMoE(LN(x))     each token routed to an expert MLP d → d_ffn → d (BASE routing by default)
 * </pre>
 *
 * The order (token mixing first, as attention comes before the FFN) is a design choice. With
 * {@code moe.experts() = 0} the tMoE slot holds a dense {@link FeedForward}.
 *
 * <p>Input {@code (B, T, d)} plus token ids {@code (B, T)} (passed to tMoE for hash routing),
 * output {@code (B, T, d)}.
 */
public final class SparseAllMlpBlock extends PreNormResidualBlock {

    private final LmPart lm;
    private final int spatialExperts;
    private final MoePart moe;

    /**
     * @param lm width {@code d}, {@code d_ffn} and the longest sequence {@code L}
     * @param spatialExperts {@code E_s}, sMoE's chunks of the {@code d} channels
     * @param moe tMoE's experts and routing
     */
    public SparseAllMlpBlock(LmPart lm, int spatialExperts, MoePart moe) {
        super("spatialNorm", "sMoE", new SpatialMoe(spatialExperts, lm.width(), lm.contextLength()),
                "featureNorm", "tMoE", moe.tokenLayer(lm.width(), lm.hidden()));
        this.lm = lm;
        this.spatialExperts = spatialExperts;
        this.moe = moe;
    }

    /** Parameters and FLOPs per token at sequence length {@code L}. */
    @Override
    public Cost cost() {
        long d = lm.width();
        long length = lm.contextLength();
        long spatialParams = spatialExperts * (length * length + length);
        // every token's d channels are mixed over L positions, whichever expert holds them
        Cost spatial = new Cost(spatialParams, spatialParams, 2 * length * d);
        return Cost.layerNorm(d).plus(spatial).plus(Cost.layerNorm(d))
                .plus(moe.cost(d, lm.hidden(), 1));
    }
}
