package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import moelab.routing.Routing;

/**
 * A block that routes: after each forward pass it exposes the routing it used and its auxiliary
 * loss. Trainers add every MoE block's aux loss to the task loss; inspectors read the routings.
 */
public interface MoeBlock extends Block {

    /** The routing of the latest forward pass, or null before the first one. */
    Routing lastRouting();

    /** The scalar auxiliary loss of the latest forward pass, or null before the first one. */
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
