package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.ChannelMixingMlp;
import moelab.mixing.TokenMixingMlp;

/**
 * One MLP-Mixer block: {@code x + TokenMixing(LN(x))}, then {@code x + ChannelMixing(LN(x))}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}. Parameters
 * {@code 2·2C + (2 S D_S + D_S + S) + (2 C D_C + D_C + C)}.
 */
public final class MixerBlock extends AbstractBlock {

    private final LayerNorm tokenNorm;
    private final TokenMixingMlp tokenMixing;
    private final LayerNorm channelNorm;
    private final ChannelMixingMlp channelMixing;

    /**
     * @param patches {@code S}
     * @param channels {@code C}
     * @param tokenHidden {@code D_S}
     * @param channelHidden {@code D_C}
     */
    public MixerBlock(int patches, int channels, int tokenHidden, int channelHidden) {
        tokenNorm = addChildBlock("tokenNorm", LayerNorm.builder().axis(2).build());
        tokenMixing = addChildBlock("tokenMixing", new TokenMixingMlp(patches, tokenHidden));
        channelNorm = addChildBlock("channelNorm", LayerNorm.builder().axis(2).build());
        channelMixing =
                addChildBlock("channelMixing", new ChannelMixingMlp(channels, channelHidden));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        NDArray y = tokenNorm.forward(store, new NDList(x), training, params).head();
        x = x.add(tokenMixing.forward(store, new NDList(y), training, params).head());
        y = channelNorm.forward(store, new NDList(x), training, params).head();
        x = x.add(channelMixing.forward(store, new NDList(y), training, params).head());
        return new NDList(x); // (B, S, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes[0]);
        }
    }

    /** Parameters and FLOPs per image of one block. */
    static Cost cost(int patches, int channels, int tokenHidden, int channelHidden) {
        return Cost.layerNorm(channels)
                .plus(Cost.feedForward(patches, tokenHidden, channels))
                .plus(Cost.layerNorm(channels))
                .plus(Cost.feedForward(channels, channelHidden, patches));
    }
}
