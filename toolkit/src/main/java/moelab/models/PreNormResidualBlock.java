package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pre-LN residual pattern a Transformer block and its all-MLP replacements share: token
 * mixing, then feature (channel) mixing, each pre-normalised with a residual:
 *
 * <pre>
 * x = x + mixing(LN(x))        attention, sMoE or a token-mixing MLP
 * x = x + feedForward(LN(x))   FFN, tMoE or a channel-mixing MLP; token ids passed along
 * </pre>
 *
 * <p>Input {@code (B, T, d)} plus optional token ids {@code (B, T)} (given to the feed-forward
 * layer, for hash routing), output {@code (B, T, d)}.
 */
abstract class PreNormResidualBlock extends CostedBlock {

    private final LayerNorm mixingNorm;
    private final Block mixing;
    private final LayerNorm feedForwardNorm;
    private final Block feedForward;

    /** Registers the children in this order: the two norms and layers under the given names. */
    PreNormResidualBlock(String mixingNormName, String mixingName, Block mixing,
            String feedForwardNormName, String feedForwardName, Block feedForward) {
        mixingNorm = addChildBlock(mixingNormName, LayerNorm.builder().axis(2).build());
        this.mixing = addChildBlock(mixingName, mixing);
        feedForwardNorm = addChildBlock(feedForwardNormName, LayerNorm.builder().axis(2).build());
        this.feedForward = addChildBlock(feedForwardName, feedForward);
    }

    /** The feature-mixing layer, {@code (B, T, d) → (B, T, d)}. */
    Block feedForward() {
        return feedForward;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        NDArray ids = inputs.size() > 1 ? inputs.get(1) : null; // (B, T)
        NDArray y = mixingNorm.forward(store, new NDList(x), training, params).head();
        x = x.add(mixing.forward(store, new NDList(y), training, params).head());
        y = feedForwardNorm.forward(store, new NDList(x), training, params).head();
        NDList routed = ids == null ? new NDList(y) : new NDList(y, ids);
        x = x.add(feedForward.forward(store, routed, training, params).head());
        return new NDList(x); // (B, T, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mixingNorm.initialize(manager, dataType, inputShapes[0]);
        mixing.initialize(manager, dataType, inputShapes[0]);
        feedForwardNorm.initialize(manager, dataType, inputShapes[0]);
        feedForward.initialize(manager, dataType, inputShapes);
    }
}
