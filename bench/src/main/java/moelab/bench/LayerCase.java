package moelab.bench;

import ai.djl.nn.Block;
import java.util.Locale;
import moelab.mixing.FeedForward;
import moelab.moe.ExpertExecution;
import moelab.moe.MoeLayer;
import moelab.routing.GShardRouter;
import moelab.routing.Router;
import moelab.routing.SwitchRouter;

/**
 * One layer of the benchmark at the size, {@code T = 4096} items of width {@code d = 256},
 * expert hidden width {@code h = 1024}, named
 *
 * <ul>
 *   <li>{@code dense-k1}, {@code dense-k2}: the dense FFN of the same active FLOPs as a top-k MoE
 *       layer, hidden width {@code k · h};
 *   <li>{@code moe-E8-k1-cf1.25-sorted}, {@code moe-E64-k2-dropless-padded}, ...: an MoE layer of
 *       E experts, Switch top-1 ({@code k1}) or GShard top-2 ({@code k2}) routing, capacity factor
 *       1.25 or none ({@code dropless}), and its {@link ExpertExecution}.
 * </ul>
 *
 * @param experts {@code E}, 0 for the dense layer
 * @param k experts per token (the dense layer's hidden width is {@code k · h})
 * @param capacityFactor {@code <= 0} for no dropping
 * @param execution how the MoE layer runs its experts (null for the dense layer)
 */
public record LayerCase(int experts, int k, double capacityFactor, ExpertExecution execution) {

    /** Items per batch {@code T}. */
    public static final int TOKENS = 4096;
    /** Item width {@code d}. */
    public static final int MODEL_DIM = 256;
    /** Expert hidden width {@code h}. */
    public static final int HIDDEN_DIM = 1024;

    /** Reads a name such as {@code moe-E8-k1-cf1.25-sorted} or {@code dense-k2}. */
    public static LayerCase parse(String name) {
        String[] part = name.split("-");
        try {
            if (part[0].equals("dense") && part.length == 2) {
                return new LayerCase(0, number(part[1], "k"), 0, null);
            }
            if (part[0].equals("moe") && part.length == 5) {
                double cf = part[3].equals("dropless") ? 0 : Double.parseDouble(part[3].substring(2));
                return new LayerCase(number(part[1], "E"), number(part[2], "k"), cf,
                        ExpertExecution.valueOf(part[4].toUpperCase(Locale.ROOT)));
            }
        } catch (RuntimeException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown layer case '" + name + "'; write dense-k1 or"
                + " moe-E<experts>-k<1|2>-<cf1.25|dropless>-<padded|sorted>");
    }

    private static int number(String part, String prefix) {
        if (!part.startsWith(prefix)) {
            throw new IllegalArgumentException(part);
        }
        return Integer.parseInt(part.substring(prefix.length()));
    }

    /** Whether this is the dense baseline. */
    public boolean dense() {
        return experts == 0;
    }

    /** The block, not yet initialised: input and output {@code (T, d)}. */
    public Block build() {
        if (dense()) {
            return new FeedForward(MODEL_DIM, k * HIDDEN_DIM);
        }
        Router router = k == 1 ? new SwitchRouter(capacityFactor) : new GShardRouter(capacityFactor);
        return MoeLayer.builder().setNumExperts(experts).setModelDim(MODEL_DIM)
                .setHiddenDim(HIDDEN_DIM).setRouter(router).optExecution(execution).build();
    }
}
