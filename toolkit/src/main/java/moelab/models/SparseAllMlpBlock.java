package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.FeedForward;
import moelab.mixing.SpatialMoe;

/**
 * One sparse block of sMLP (Yu et al. 2022): sMoE for token mixing (in place of gMLP's spatial
 * gating unit or a Transformer's attention), then tMoE for feature mixing (in place of the FFN),
 * each pre-normalised with a residual:
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
public final class SparseAllMlpBlock extends AbstractBlock {

    private final LayerNorm spatialNorm;
    private final SpatialMoe spatialMoe;
    private final LayerNorm featureNorm;
    private final Block tokenMoe;

    /** Builds the block {@code config} describes (a {@link ModelConfig.Family#SMLP} config). */
    public SparseAllMlpBlock(ModelConfig config) {
        int d = config.width();
        spatialNorm = addChildBlock("spatialNorm", LayerNorm.builder().axis(2).build());
        spatialMoe = addChildBlock("sMoE",
                new SpatialMoe(config.tokenMixingExperts(), d, config.contextLength()));
        featureNorm = addChildBlock("featureNorm", LayerNorm.builder().axis(2).build());
        int experts = config.channelMixingExperts();
        tokenMoe = addChildBlock("tMoE", experts == 0
                ? new FeedForward(d, config.channelMixingHidden())
                : config.moeLayer(experts, d, config.channelMixingHidden()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        NDArray ids = inputs.size() > 1 ? inputs.get(1) : null; // (B, T)
        NDArray y = spatialNorm.forward(store, new NDList(x), training, params).head();
        x = x.add(spatialMoe.forward(store, new NDList(y), training, params).head());
        y = featureNorm.forward(store, new NDList(x), training, params).head();
        NDList routed = ids == null ? new NDList(y) : new NDList(y, ids);
        x = x.add(tokenMoe.forward(store, routed, training, params).head());
        return new NDList(x); // (B, T, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
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
