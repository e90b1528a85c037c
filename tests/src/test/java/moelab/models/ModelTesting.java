package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import moelab.mixing.FeedForward;
import moelab.moe.MoeLayer;

/** Shared helpers for the model tests: build, run, count and copy weights. */
final class ModelTesting {

    private ModelTesting() {}

    /** {@code config}'s model, initialised for batches of {@code batch}. */
    static Block initialized(ModelConfig config, NDManager manager, long batch) {
        Block block = config.build();
        block.initialize(manager, DataType.FLOAT32, config.inputShape(batch));
        return block;
    }

    static NDArray forward(Block block, NDManager manager, NDArray input, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), training).head();
    }

    /** Trainable parameters of an initialised block, counted from the arrays DJL holds. */
    static long parameterCount(Block block) {
        long count = 0;
        for (var entry : block.getParameters()) {
            count += entry.getValue().getArray().getShape().size();
        }
        return count;
    }

    /** Random token ids in [0, vocab), shape {@code (B, T)}. */
    static NDArray tokens(NDManager manager, int vocab, long batch, long length) {
        return manager.randomInteger(0, vocab, new Shape(batch, length), DataType.INT64);
    }

    /**
     * Copies every weight of {@code dense} into the same place of {@code sparse}, which has the
     * same structure except that some {@link FeedForward}s are one-expert {@link MoeLayer}s: their
     * single expert gets the dense layer's weights (the gate keeps its own).
     */
    static void copyDenseIntoOneExpert(Block dense, Block sparse) {
        if (dense instanceof FeedForward ff && sparse instanceof MoeLayer moe) {
            Parameter[] from = ff.weights();
            Parameter[] to = moe.experts().weights();
            for (int i = 0; i < from.length; i++) {
                NDArray target = to[i].getArray();
                from[i].getArray().reshape(target.getShape()).copyTo(target);
            }
            return;
        }
        List<Parameter> from = new ArrayList<>(dense.getDirectParameters().values());
        List<Parameter> to = new ArrayList<>(sparse.getDirectParameters().values());
        if (from.size() != to.size()) {
            throw new AssertionError("different parameters in " + dense + " and " + sparse);
        }
        for (int i = 0; i < from.size(); i++) {
            from.get(i).getArray().copyTo(to.get(i).getArray());
        }
        List<Block> denseChildren = dense.getChildren().values();
        List<Block> sparseChildren = sparse.getChildren().values();
        if (denseChildren.size() != sparseChildren.size()) {
            throw new AssertionError("different children in " + dense + " and " + sparse);
        }
        for (int i = 0; i < denseChildren.size(); i++) {
            copyDenseIntoOneExpert(denseChildren.get(i), sparseChildren.get(i));
        }
    }
}
