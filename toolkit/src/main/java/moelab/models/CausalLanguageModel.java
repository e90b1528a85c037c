package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The frame every moelab language model shares: token embedding (plus a learned position
 * embedding for Transformers), a stack of blocks, a final LayerNorm and an output layer that is
 * either the transposed token embedding (tied) or its own {@code d → V} matrix.
 *
 * <p>Input {@code (B, T)} token ids ({@code T <= contextLength}; any numeric type), output
 * {@code (B, T, V)} logits for the next token at each position. Each block gets
 * {@code (x, ids)}: {@code x} of shape {@code (B, T, d)} and the token ids, which hash routing
 * needs, and returns {@code (B, T, d)}. Token mixing is causal in every model; whether routing
 * keeps the whole model causal in training is {@link ModelConfig#causalInTraining()}.
 */
public abstract class CausalLanguageModel extends CostedBlock {

    private final ModelConfig config;
    private final LmPart lm;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<CostedBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    /**
     * @param config the model's configuration, reported by {@link #config()}
     * @param lm vocabulary, context, width, depth, tied output layer
     * @param positions whether to add a learned position embedding
     * @param blockAt block {@code i} of the stack
     */
    protected CausalLanguageModel(ModelConfig config, LmPart lm, boolean positions,
            IntFunction<CostedBlock> blockAt) {
        this.config = config;
        this.lm = lm;
        int d = lm.width();
        tokenEmbedding = addParameter(Parameter.builder().setName("tokenEmbedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(lm.vocabSize(), d))
                .optInitializer(new NormalInitializer(0.02f)).build());
        positionEmbedding = positions
                ? addParameter(Parameter.builder().setName("positionEmbedding")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(lm.contextLength(), d))
                        .optInitializer(new NormalInitializer(0.02f)).build())
                : null;
        for (int i = 0; i < lm.blocks(); i++) {
            blocks.add(addChildBlock("block" + i, blockAt.apply(i)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = lm.tiedEmbeddings() ? null : addChildBlock("head",
                Linear.builder().setUnits(lm.vocabSize()).optBias(false).build());
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
        NDArray ids = inputs.get(0).toType(DataType.INT64, false); // (B, T)
        long length = ids.getShape().get(1);
        if (ids.getShape().dimension() != 2 || length > lm.contextLength()) {
            throw new IllegalArgumentException("language model expects (B, T<="
                    + lm.contextLength() + ") token ids, got " + ids.getShape());
        }
        var device = ids.getDevice();
        NDArray embedding = store.getValue(tokenEmbedding, device, training); // (V, d)
        NDArray x = embedding.get(ids); // (B, T, d)
        if (positionEmbedding != null) {
            x = x.add(store.getValue(positionEmbedding, device, training).get(":" + length)); // + (T, d)
        }
        for (Block block : blocks) {
            x = block.forward(store, new NDList(x, ids), training, params).head(); // (B, T, d)
        }
        x = norm.forward(store, new NDList(x), training, params).head(); // (B, T, d)
        NDArray logits = head == null
                ? x.matMul(embedding.transpose()) // (B, T, d) @ (d, V)
                : head.forward(store, new NDList(x), training, params).head();
        return new NDList(logits); // (B, T, V)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), lm.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0]; // (B, T)
        Shape hidden = new Shape(ids.get(0), ids.get(1), lm.width()); // (B, T, d)
        for (Block block : blocks) {
            block.initialize(manager, dataType, hidden, ids);
        }
        norm.initialize(manager, dataType, hidden);
        if (head != null) {
            head.initialize(manager, dataType, hidden);
        }
    }

    /**
     * Parameters and FLOPs per token: the blocks plus the frame (embeddings, final norm, output
     * layer of {@code 2 d V} FLOPs; tied adds no parameters).
     */
    @Override
    public Cost cost() {
        long d = lm.width();
        long vocab = lm.vocabSize();
        Cost cost = Cost.table(vocab * d).plus(Cost.layerNorm(d));
        if (positionEmbedding != null) {
            cost = cost.plus(Cost.table(lm.contextLength() * d));
        }
        cost = cost.plus(head == null ? new Cost(0, 0, 2 * d * vocab) : Cost.linearNoBias(d, vocab, 1));
        for (CostedBlock block : blocks) {
            cost = cost.plus(block.cost());
        }
        return cost;
    }
}
