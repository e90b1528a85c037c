package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * One routing decision for a batch of {@code T} items (tokens, patches, channel vectors) over
 * {@code E} experts, in token-major form with {@code S} slots per item (S = k for a token-choice
 * top-k router; for expert-choice routing S is the most experts any one item was picked by).
 *
 * <p>The discrete part (which expert, which buffer position, kept or dropped) is held as Java
 * arrays so it can be printed and checked by hand; the combine weights stay an {@link NDArray} so
 * that gradients reach the router.
 *
 * <ul>
 *   <li>{@code expert[t][s]}: expert index of slot s of item t, {@code -1} when the slot is unused;
 *   <li>{@code position[t][s]}: the slot's row in that expert's buffer of {@link #capacity()} rows,
 *       {@code -1} when dropped (over capacity) or unused;
 *   <li>{@link #weights()}: {@code (T, S)} combine weights, zero where dropped or unused;
 *   <li>{@link #probs()}: {@code (T, E)} router probabilities {@code softmax(W_g x + ε)};
 *   <li>{@link #logits()}: {@code (T, E)} clean router logits {@code W_g x} (for the z-loss);
 *   <li>{@link #loadProbability()}: {@code (T, E)} probability that each expert is among the
 *       selected under the gate noise (V-MoE load), or {@code null} when the router has no noise.
 * </ul>
 */
public final class Routing {

    private final int numExperts;
    private final int capacity;
    private final int[][] expert;
    private final int[][] position;
    private final NDArray weights;
    private final NDArray probs;
    private final NDArray logits;
    private final NDArray loadProbability;

    /**
     * Creates a routing decision; see the class comment for the meaning and shape of each part.
     *
     * @throws IllegalArgumentException when a position is out of the capacity or an expert index
     *     out of range: a routing can never overfill an expert
     */
    public Routing(
            int numExperts,
            int capacity,
            int[][] expert,
            int[][] position,
            NDArray weights,
            NDArray probs,
            NDArray logits,
            NDArray loadProbability) {
        this.numExperts = numExperts;
        this.capacity = capacity;
        this.expert = expert;
        this.position = position;
        this.weights = weights;
        this.probs = probs;
        this.logits = logits;
        this.loadProbability = loadProbability;
        int[] filled = new int[numExperts];
        for (int t = 0; t < expert.length; t++) {
            for (int s = 0; s < expert[t].length; s++) {
                int e = expert[t][s];
                int p = position[t][s];
                if (e < -1 || e >= numExperts || p >= capacity || (e == -1 && p != -1)) {
                    throw new IllegalArgumentException(
                            "item " + t + " slot " + s + ": expert " + e + " position " + p
                                    + " is outside " + numExperts + " experts x capacity "
                                    + capacity);
                }
                if (p >= 0) {
                    filled[e]++;
                }
            }
        }
        for (int e = 0; e < numExperts; e++) {
            if (filled[e] > capacity) {
                throw new IllegalArgumentException(
                        "expert " + e + " got " + filled[e] + " items, capacity " + capacity);
            }
        }
    }

    /** Number of routed items {@code T}. */
    public int numItems() {
        return expert.length;
    }

    /** Slots per item {@code S}. */
    public int slots() {
        return expert.length == 0 ? 0 : expert[0].length;
    }

    /** Number of experts {@code E}. */
    public int numExperts() {
        return numExperts;
    }

    /** Rows in each expert's buffer. */
    public int capacity() {
        return capacity;
    }

    /** Expert of slot {@code s} of item {@code t}, or -1 when the slot is unused. */
    public int expert(int t, int s) {
        return expert[t][s];
    }

    /** Buffer row of slot {@code s} of item {@code t}, or -1 when dropped or unused. */
    public int position(int t, int s) {
        return position[t][s];
    }

    /** Whether slot {@code s} of item {@code t} reached its expert (was not dropped). */
    public boolean kept(int t, int s) {
        return position[t][s] >= 0;
    }

    /** {@code (T, S)} combine weights, zero where dropped or unused. */
    public NDArray weights() {
        return weights;
    }

    /** {@code (T, E)} router probabilities. */
    public NDArray probs() {
        return probs;
    }

    /** {@code (T, E)} clean router logits. */
    public NDArray logits() {
        return logits;
    }

    /** {@code (T, E)} noisy-gate selection probability, or {@code null} for noiseless routers. */
    public NDArray loadProbability() {
        return loadProbability;
    }

    /** Items kept by each expert, length {@code E}. */
    public int[] expertLoad() {
        int[] load = new int[numExperts];
        for (int t = 0; t < expert.length; t++) {
            for (int s = 0; s < expert[t].length; s++) {
                if (position[t][s] >= 0) {
                    load[expert[t][s]]++;
                }
            }
        }
        return load;
    }

    /** Assignments that chose an expert but found it full. */
    public int dropped() {
        int dropped = 0;
        for (int t = 0; t < expert.length; t++) {
            for (int s = 0; s < expert[t].length; s++) {
                if (expert[t][s] >= 0 && position[t][s] < 0) {
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Assignments that chose an expert (kept or dropped). */
    public int assigned() {
        int assigned = 0;
        for (int[] row : expert) {
            for (int e : row) {
                if (e >= 0) {
                    assigned++;
                }
            }
        }
        return assigned;
    }

    /** Copy of the {@code (T, S)} expert indices. */
    public int[][] experts() {
        return Arrays.stream(expert).map(int[]::clone).toArray(int[][]::new);
    }

    /** Copy of the {@code (T, S)} buffer positions. */
    public int[][] positions() {
        return Arrays.stream(position).map(int[]::clone).toArray(int[][]::new);
    }
}
