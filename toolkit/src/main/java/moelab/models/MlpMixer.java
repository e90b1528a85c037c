package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
public class MlpMixer extends CostedBlock {

    private final ModelConfig config;
    private final ImagePart image;
    private final int channels;
    private final PatchEmbedding patchEmbedding;
    private final List<CostedBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    /** A dense Mixer of {@code mixer.blocks()} {@link MixerBlock}s. */
    public MlpMixer(MixerConfig config) {
        this(config, config.image(), config.mixer(),
                i -> new MixerBlock(config.image().numPatches(), config.mixer()));
    }

    /**
     * A Mixer whose block {@code i} is {@code blockAt.apply(i)}; every block maps
     * {@code (B, S, C)} to {@code (B, S, C)}.
     *
     * @param config the config reported by {@link #config()}
     */
    protected MlpMixer(ModelConfig config, ImagePart image, MixerPart mixer,
            IntFunction<CostedBlock> blockAt) {
        this.config = config;
        this.image = image;
        channels = mixer.width();
        patchEmbedding = addChildBlock("patchEmbedding", new PatchEmbedding(
                image.imageChannels(), image.patchSize(), channels));
        for (int i = 0; i < mixer.blocks(); i++) {
            blocks.add(addChildBlock("block" + i, blockAt.apply(i)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(image.numClasses()).build());
    }

    /** The configuration this model was built from. */
    public ModelConfig config() {
        return config;
    }

    /** The blocks, in order. */
    public List<? extends Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        long batch = images.getShape().get(0);
        int side = image.imageSize();
        images = images.reshape(batch, image.imageChannels(), side, side); // (B, ch, H, W)
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
        return new Shape[] {new Shape(inputShapes[0].get(0), image.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape tokens = new Shape(batch, image.numPatches(), channels); // (B, S, C)
        patchEmbedding.initialize(manager, dataType, image.inputShape(batch));
        for (Block block : blocks) {
            block.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(batch, channels));
    }

    /** Parameters and FLOPs per image: patch embedding, the blocks, norm and head. */
    @Override
    public Cost cost() {
        Cost cost = patchEmbedding.cost(image.numPatches());
        for (CostedBlock block : blocks) {
            cost = cost.plus(block.cost());
        }
        return cost.plus(Cost.layerNorm(channels)).plus(Cost.linear(channels, image.numClasses(), 1));
    }
}
