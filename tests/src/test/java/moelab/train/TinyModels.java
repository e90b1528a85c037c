package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import moelab.moe.AuxLoss;
import moelab.moe.BalanceLoss;
import moelab.moe.MoeLayer;
import moelab.routing.Priority;
import moelab.routing.TopKRouter;

/** Small models and synthetic data for the training tests. */
final class TinyModels {

    private TinyModels() {}

    /** (B, 1, 4, 4) → flatten → Linear 16 → ReLU → Linear K. */
    static Block mlpClassifier(int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * (B, 1, 4, 4) → flatten → Linear 8 → MoE layer (E experts of width 8, top-2 with V-MoE gate
     * noise, capacity factor 1.25, Switch balance loss) → Linear K.
     */
    static Block moeClassifier(int classes, int experts) {
        return moeClassifier(classes, experts, new BalanceLoss());
    }

    /** As {@link #moeClassifier(int, int)} with the given aux loss. */
    static Block moeClassifier(int classes, int experts, AuxLoss auxLoss) {
        MoeLayer moe = MoeLayer.builder().setNumExperts(experts).setModelDim(8).setHiddenDim(16)
                .setRouter(new TopKRouter(Math.min(2, experts), -1, 1.25, true, Priority.TOP_GATE))
                .optAuxLoss(auxLoss)
                .build();
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(8).build())
                .add(moe)
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * n images (n, 1, 4, 4) of standard normal noise; label = 2·[top half brighter than bottom] +
     * [left half brighter than right]: four learnable classes.
     */
    static ArrayDataset images(NDManager manager, int n, int batchSize, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] x = new float[n * 16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double top = 0;
            double left = 0;
            for (int p = 0; p < 16; p++) {
                float v = (float) random.nextGaussian();
                x[i * 16 + p] = v;
                int row = p / 4;
                int col = p % 4;
                top += row < 2 ? v : -v;
                left += col < 2 ? v : -v;
            }
            y[i] = (top > 0 ? 2 : 0) + (left > 0 ? 1 : 0);
        }
        NDArray data = manager.create(x, new Shape(n, 1, 4, 4));
        NDArray labels = manager.create(y);
        return new ArrayDataset.Builder().setData(data).optLabels(labels)
                .setSampling(batchSize, false).build();
    }
}
