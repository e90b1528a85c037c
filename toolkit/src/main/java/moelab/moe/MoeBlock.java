package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import moelab.routing.Routing;

/**
 * A block that routes. Each forward call adds its routing and auxiliary loss to the {@link
 * AuxLosses} record open on the calling thread (if any): trainers read that record, so a block
 * called twice in a pass counts twice and a block that did not run counts not at all. The block
 * also keeps the routing and aux loss of its latest call, for inspection only.
 */
public interface MoeBlock extends Block {

    /** The routing of the latest forward call (inspection), or null before the first one. */
    Routing lastRouting();

    /**
     * The scalar auxiliary loss of the latest forward call (inspection), or null before the first
     * one. Training reads {@link AuxLosses} instead.
     */
    NDArray lastAuxLoss();

    /**
     * Every MoE block inside {@code root} (root included), keyed by its path of child names, in
     * forward order.
     */
    static Map<String, MoeBlock> findAll(Block root) {
        Map<String, MoeBlock> found = new LinkedHashMap<>();
        collect("", root, found);
        return found;
    }

    private static void collect(String path, Block block, Map<String, MoeBlock> found) {
        if (block instanceof MoeBlock) {
            found.put(path.isEmpty() ? "root" : path, (MoeBlock) block);
        }
        block.getChildren().forEach(child -> collect(
                path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), child.getValue(),
                found));
    }
}
