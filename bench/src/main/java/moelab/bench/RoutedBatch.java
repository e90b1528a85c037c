package moelab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import moelab.routing.GShardRouter;
import moelab.routing.Router;
import moelab.routing.SwitchRouter;

/**
 * The inputs of the router and dispatch benchmarks, drawn under a fixed seed exactly as an MoE
 * layer of {@link LayerCase}'s size sees them: items {@code x: (T, d)} and router logits
 * {@code W_g x: (T, E)} with {@code W_g ~ N(0, 1/d)}, and the router of the case (Switch top-1 or
 * GShard top-2, capacity factor 1.25).
 *
 * @param items {@code (T, d)}
 * @param logits {@code (T, E)}
 * @param router the case's router
 */
record RoutedBatch(NDArray items, NDArray logits, Router router) {

    /** Capacity factor of the router and dispatch cases. */
    static final double CAPACITY_FACTOR = 1.25;

    /**
     * @param name {@code E<experts>-k<1|2>}, e.g. {@code E8-k1}
     * @param manager where the arrays live
     */
    static RoutedBatch of(String name, NDManager manager) {
        String[] part = name.split("-k");
        if (part.length != 2 || !part[0].startsWith("E")) {
            throw new IllegalArgumentException("unknown routing case '" + name
                    + "'; write E<experts>-k<1|2>, e.g. E8-k1");
        }
        int experts = Integer.parseInt(part[0].substring(1));
        int k = Integer.parseInt(part[1]);
        Engine.getInstance().setRandomSeed(13);
        NDArray items = manager.randomNormal(new Shape(LayerCase.TOKENS, LayerCase.MODEL_DIM));
        NDArray gate = manager.randomNormal(0f, (float) Math.sqrt(1.0 / LayerCase.MODEL_DIM),
                new Shape(LayerCase.MODEL_DIM, experts), items.getDataType());
        Router router = k == 1 ? new SwitchRouter(CAPACITY_FACTOR)
                : new GShardRouter(CAPACITY_FACTOR);
        return new RoutedBatch(items, items.matMul(gate), router);
    }
}
