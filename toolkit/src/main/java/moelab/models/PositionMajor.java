package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Runs a token-wise layer on the tokens in position-major order: {@code (B, T, d)} is swapped to
 * {@code (T, B, d)} (token ids {@code (B, T)} to {@code (T, B)}) before the layer and back after,
 * so an MoE layer's router sees every sequence's position 0, then every position 1, and so on. A
 * router that decides the items in the order it gets them ({@link moelab.routing.CausalBaseRouter})
 * is then causal in time.
 *
 * <p>Input {@code (B, T, d)} and optional token ids {@code (B, T)}, output {@code (B, T, d)}.
 */
public final class PositionMajor extends AbstractBlock {

    private final Block layer;

    /** @param layer a token-wise layer {@code (..., d) → (..., d)}, e.g. an MoE layer */
    public PositionMajor(Block layer) {
        this.layer = addChildBlock("layer", layer);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList swapped = new NDList();
        for (NDArray input : inputs) {
            swapped.add(input.swapAxes(0, 1)); // (B, T, ...) -> (T, B, ...)
        }
        NDArray y = layer.forward(store, swapped, training, params).head(); // (T, B, d)
        return new NDList(y.swapAxes(0, 1)); // (B, T, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] swapped = new Shape[inputShapes.length];
        for (int i = 0; i < inputShapes.length; i++) {
            Shape s = inputShapes[i];
            swapped[i] = new Shape(s.get(1), s.get(0)).addAll(s.slice(2));
        }
        layer.initialize(manager, dataType, swapped);
    }
}
