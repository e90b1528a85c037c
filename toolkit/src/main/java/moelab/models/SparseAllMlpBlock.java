package moelab.models;

import ai.djl.nn.Block;
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
 * {@code channelMixingExperts = 0} the tMoE slot holds a dense {@link FeedForward}.
 *
 * <p>Input {@code (B, T, d)} plus token ids {@code (B, T)} (passed to tMoE for hash routing),
 * output {@code (B, T, d)}.
 */
public final class SparseAllMlpBlock extends PreNormResidualBlock {

    /** Builds the block {@code config} describes (a {@link ModelConfig.Family#SMLP} config). */
    public SparseAllMlpBlock(ModelConfig config) {
        super("spatialNorm", "sMoE",
                new SpatialMoe(config.tokenMixingExperts(), config.width(), config.contextLength()),
                "featureNorm", "tMoE", tokenMoe(config));
    }

    private static Block tokenMoe(ModelConfig config) {
        int experts = config.channelMixingExperts();
        return experts == 0
                ? new FeedForward(config.width(), config.channelMixingHidden())
                : config.moeLayer(experts, config.width(), config.channelMixingHidden());
    }

    /** Parameters and FLOPs per token at sequence length {@code L}. */
    static Cost cost(ModelConfig config) {
        long d = config.width();
        long length = config.contextLength();
        long spatialParams = config.tokenMixingExperts() * (length * length + length);
        // every token's d channels are mixed over L positions, whichever expert holds them
        Cost spatial = new Cost(spatialParams, spatialParams, 2 * length * d);
        int experts = config.channelMixingExperts();
        Cost feature = experts == 0
                ? Cost.feedForward(d, config.channelMixingHidden(), 1)
                : Cost.moe(d, config.channelMixingHidden(), experts,
                        config.expertsPerItem(experts), 1);
        return Cost.layerNorm(d).plus(spatial).plus(Cost.layerNorm(d)).plus(feature);
    }
}
