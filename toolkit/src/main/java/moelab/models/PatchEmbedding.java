package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MLP-Mixer's per-patch embedding: the image is cut into non-overlapping {@code P × P} patches and
 * each flattened patch ({@code channels · P²} values) is projected linearly to {@code C} channels.
 * This is the {@code P × P} convolution with stride {@code P}, written as a reshape and a linear
 * layer (same parameters: {@code channels · P² · C + C}).
 *
 * <p>Input {@code (B, channels, H, W)}, output {@code (B, S, C)} with
 * {@code S = (H/P)(W/P)} patches in row-major order.
 */
public final class PatchEmbedding extends AbstractBlock {

    private final int imageChannels;
    private final int patchSize;
    private final int channels;
    private final Linear projection;

    /**
     * @param imageChannels colour channels of the input
     * @param patchSize {@code P}
     * @param channels {@code C}
     */
    public PatchEmbedding(int imageChannels, int patchSize, int channels) {
        this.imageChannels = imageChannels;
        this.patchSize = patchSize;
        this.channels = channels;
        projection = addChildBlock("projection", Linear.builder().setUnits(channels).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0); // (B, ch, H, W)
        Shape shape = images.getShape();
        long batch = shape.get(0);
        long rows = shape.get(2) / patchSize;
        long cols = shape.get(3) / patchSize;
        NDArray patches = images
                .reshape(batch, imageChannels, rows, patchSize, cols, patchSize) // (B, ch, H/P, P, W/P, P)
                .transpose(0, 2, 4, 1, 3, 5) // (B, H/P, W/P, ch, P, P)
                .reshape(batch, rows * cols, (long) imageChannels * patchSize * patchSize); // (B, S, ch·P²)
        return projection.forward(store, new NDList(patches), training, params); // (B, S, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long patches = (in.get(2) / patchSize) * (in.get(3) / patchSize);
        return new Shape[] {new Shape(in.get(0), patches, channels)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long patches = (in.get(2) / patchSize) * (in.get(3) / patchSize);
        projection.initialize(manager, dataType,
                new Shape(in.get(0), patches, (long) imageChannels * patchSize * patchSize));
    }

    /** Parameters and FLOPs of embedding the {@code S} patches of one image. */
    Cost cost(long patches) {
        return Cost.linear((long) imageChannels * patchSize * patchSize, channels, patches);
    }
}
