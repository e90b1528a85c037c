package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * MLP-Mixer (Tolstikhin et al. 2021): per-patch embedding ({@code P × P} patches → {@code C}
 * channels, {@code S} patches), {@code N} {@link MixerBlock}s, LayerNorm, global average pooling
 * over the patches, linear classifier head.
 *
 * <p>The pre-head LayerNorm is applied per patch before pooling, as in the reference
 * implementation (it has the same {@code 2C} parameters either way).
 *
 * <p>Input {@code (B, channels, H, W)} images (any input with {@code B · channels · H · W} values
 * is read in that layout, so {@code (B, H, W)} grey images work too); output {@code (B, classes)}
 * logits. Mixer-B/16 at 224², 1000 classes has 59,880,472 parameters.
 */
public class MlpMixer extends AbstractBlock {

    private final ModelConfig config;
    private final PatchEmbedding patchEmbedding;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    /** A dense Mixer of {@code config.numBlocks()} {@link MixerBlock}s. */
    public MlpMixer(ModelConfig config) {
        this(config, i -> new MixerBlock(config.numPatches(), config.width(),
                config.tokenMixingHidden(), config.channelMixingHidden()));
    }

    /**
     * A Mixer whose block {@code i} is {@code blockAt.apply(i)}; every block maps
     * {@code (B, S, C)} to {@code (B, S, C)}.
     */
    protected MlpMixer(ModelConfig config, IntFunction<Block> blockAt) {
        this.config = config;
        patchEmbedding = addChildBlock("patchEmbedding", new PatchEmbedding(
                config.imageChannels(), config.patchSize(), config.width()));
        for (int i = 0; i < config.numBlocks(); i++) {
            blocks.add(addChildBlock("block" + i, blockAt.apply(i)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(config.numClasses()).build());
    }

    /** The configuration this model was built from. */
    public ModelConfig config() {
        return config;
    }

    /** The blocks, in order. */
    public List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        long batch = images.getShape().get(0);
        int side = config.imageSize();
        images = images.reshape(batch, config.imageChannels(), side, side); // (B, ch, H, W)
        NDArray x = patchEmbedding.forward(store, new NDList(images), training, params).head(); // (B, S, C)
        for (Block block : blocks) {
            x = block.forward(store, new NDList(x), training, params).head(); // (B, S, C)
        }
        x = norm.forward(store, new NDList(x), training, params).head(); // (B, S, C)
        NDArray pooled = x.mean(new int[] {1}); // (B, C)
        return head.forward(store, new NDList(pooled), training, params); // (B, classes)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape tokens = new Shape(batch, config.numPatches(), config.width()); // (B, S, C)
        patchEmbedding.initialize(manager, dataType, config.inputShape(batch));
        for (Block block : blocks) {
            block.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(batch, config.width()));
    }

    /**
     * Parameters and FLOPs per image of a Mixer or Sparse-MLP configuration: embedding, dense
     * blocks, the config's sparse blocks, norm and head.
     */
    static Cost cost(ModelConfig config) {
        int s = config.numPatches();
        int c = config.width();
        int sparse = config.sparseBlockCount();
        return PatchEmbedding.cost(config.imageChannels(), config.patchSize(), c, s)
                .plus(MixerBlock.cost(s, c, config.tokenMixingHidden(), config.channelMixingHidden())
                        .times(config.numBlocks() - sparse))
                .plus(sparse == 0 ? Cost.ZERO : SparseMlpBlock.cost(config).times(sparse))
                .plus(Cost.layerNorm(c))
                .plus(Cost.linear(c, config.numClasses(), 1));
    }
}
