package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One routing decision for a batch of {@code T} items (tokens, patches, channel vectors) over
 * {@code E} experts, in token-major form with {@code S} slots per item (S = k for a token-choice
 * top-k router; for expert-choice routing S is the most experts any one item was picked by).
 *
 * <p>Everything is held as NDArrays on the router's device, so a forward pass never waits for the
 * host; the Java views ({@link #expert}, {@link #position}, {@link #experts()},
 * {@link #expertLoad()}, ...) are copied from the device once, the first time someone asks (or
 * when the batch's manager closes while someone still holds the routing, so they outlive it).
 *
 * <ul>
 *   <li>{@link #expertIndex()}: {@code (T, S)} int64 expert of each slot, {@code -1} when unused;
 *   <li>{@link #positionIndex()}: {@code (T, S)} int64 row of the slot in that expert's buffer of
 *       {@link #capacity()} rows, {@code -1} when dropped (over capacity) or unused;
 *   <li>{@link #weights()}: {@code (T, S)} combine weights, zero where dropped or unused;
 *   <li>{@link #probs()}: {@code (T, E)} router probabilities {@code softmax(W_g x + ε)} that chose
 *       the experts (noisy in training when the router adds gate noise);
 *   <li>{@link #cleanProbs()}: {@code (T, E)} noise-free {@code softmax(W_g x)} (importance);
 *   <li>{@link #logits()}: {@code (T, E)} clean router logits {@code W_g x} (for the z-loss);
 *   <li>{@link #loadProbability()}: {@code (T, E)} probability that each expert is among the
 *       selected under the gate noise (V-MoE load), or {@code null} when the router has no noise.
 * </ul>
 */
public final class Routing {

    private final int numExperts;
    private final int capacity;
    private NDArray expert;
    private NDArray position;
    private int[][] expertHost;
    private int[][] positionHost;
    private final NDArray weights;
    private final NDArray probs;
    private final NDArray cleanProbs;
    private final NDArray logits;
    private final NDArray loadProbability;

    private Routing(int numExperts, int capacity, NDArray weights, NDArray probs,
            NDArray cleanProbs, NDArray logits, NDArray loadProbability) {
        this.numExperts = numExperts;
        this.capacity = capacity;
        this.weights = weights;
        this.probs = probs;
        this.cleanProbs = cleanProbs;
        this.logits = logits;
        this.loadProbability = loadProbability;
    }

    /**
     * A hand-written routing from Java arrays; see the class comment for the meaning and shape of
     * each part. The probabilities are taken as noise-free ({@link #cleanProbs()} is {@code probs}).
     *
     * @throws IllegalArgumentException when a position is out of the capacity, an expert index
     *     out of range or an expert over capacity: a routing can never overfill an expert
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
        this(numExperts, capacity, weights, probs, probs, logits, loadProbability);
        this.expertHost = expert;
        this.positionHost = position;
        validate();
    }

    /**
     * A routing computed on the device. Not validated here (that would read the device); call
     * {@link #validate()} to check it.
     *
     * @param expert {@code (T, S)} int64 experts, -1 for unused slots
     * @param position {@code (T, S)} int64 buffer rows, -1 for dropped or unused slots
     * @param cleanProbs the noise-free probabilities, {@code probs} itself for noiseless routers
     */
    public static Routing of(int numExperts, int capacity, NDArray expert, NDArray position,
            NDArray weights, NDArray probs, NDArray cleanProbs, NDArray logits,
            NDArray loadProbability) {
        Routing routing = new Routing(numExperts, capacity, weights, probs, cleanProbs, logits,
                loadProbability);
        routing.expert = expert;
        routing.position = position;
        HostCopyOnClose.watch(routing, expert, position);
        return routing;
    }

    /**
     * Checks that every expert index is in range, every position below the capacity, unused slots
     * have no position and no expert holds more than {@link #capacity()} items. Reads the
     * indices from the device.
     *
     * @return this routing
     * @throws IllegalArgumentException naming the first offending slot or expert
     */
    public Routing validate() {
        int[][] e = experts0();
        int[][] p = positions0();
        for (int t = 0; t < e.length; t++) {
            for (int s = 0; s < e[t].length; s++) {
                if (e[t][s] < -1 || e[t][s] >= numExperts || p[t][s] >= capacity
                        || (e[t][s] == -1 && p[t][s] != -1)) {
                    throw new IllegalArgumentException("item " + t + " slot " + s + ": expert "
                            + e[t][s] + " position " + p[t][s] + " is outside " + numExperts
                            + " experts x capacity " + capacity);
                }
            }
        }
        int[] load = expertLoad();
        for (int x = 0; x < numExperts; x++) {
            if (load[x] > capacity) {
                throw new IllegalArgumentException(
                        "expert " + x + " got " + load[x] + " items, capacity " + capacity);
            }
        }
        return this;
    }

    /** Number of routed items {@code T}. */
    public int numItems() {
        return expertHost != null ? expertHost.length : Math.toIntExact(expert.getShape().get(0));
    }

    /** Slots per item {@code S}. */
    public int slots() {
        if (expertHost != null) {
            return expertHost.length == 0 ? 0 : expertHost[0].length;
        }
        return Math.toIntExact(expert.getShape().get(1));
    }

    /** Number of experts {@code E}. */
    public int numExperts() {
        return numExperts;
    }

    /** Rows in each expert's buffer. */
    public int capacity() {
        return capacity;
    }

    /** {@code (T, S)} int64 expert of each slot on the device, -1 where unused. */
    public NDArray expertIndex() {
        if (expert == null) {
            expert = onDevice(expertHost);
        }
        return expert;
    }

    /** {@code (T, S)} int64 buffer row of each slot on the device, -1 where dropped or unused. */
    public NDArray positionIndex() {
        if (position == null) {
            position = onDevice(positionHost);
        }
        return position;
    }

    /** Expert of slot {@code s} of item {@code t}, or -1 when the slot is unused. */
    public int expert(int t, int s) {
        return experts0()[t][s];
    }

    /** Buffer row of slot {@code s} of item {@code t}, or -1 when dropped or unused. */
    public int position(int t, int s) {
        return positions0()[t][s];
    }

    /** Whether slot {@code s} of item {@code t} reached its expert (was not dropped). */
    public boolean kept(int t, int s) {
        return position(t, s) >= 0;
    }

    /** {@code (T, S)} combine weights, zero where dropped or unused. */
    public NDArray weights() {
        return weights;
    }

    /** {@code (T, E)} router probabilities that chose the experts (noisy when the gate is). */
    public NDArray probs() {
        return probs;
    }

    /** {@code (T, E)} noise-free router probabilities {@code softmax(W_g x)}. */
    public NDArray cleanProbs() {
        return cleanProbs;
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
        int[][] e = experts0();
        int[][] p = positions0();
        int[] load = new int[numExperts];
        for (int t = 0; t < e.length; t++) {
            for (int s = 0; s < e[t].length; s++) {
                if (p[t][s] >= 0) {
                    load[e[t][s]]++;
                }
            }
        }
        return load;
    }

    /** Assignments that chose an expert but found it full. */
    public int dropped() {
        return assigned() - Arrays.stream(expertLoad()).sum();
    }

    /** Assignments that chose an expert (kept or dropped). */
    public int assigned() {
        return (int) Arrays.stream(experts0()).flatMapToInt(Arrays::stream).filter(e -> e >= 0)
                .count();
    }

    /** Copy of the {@code (T, S)} expert indices. */
    public int[][] experts() {
        return Arrays.stream(experts0()).map(int[]::clone).toArray(int[][]::new);
    }

    /** Copy of the {@code (T, S)} buffer positions. */
    public int[][] positions() {
        return Arrays.stream(positions0()).map(int[]::clone).toArray(int[][]::new);
    }

    /** Copies the indices to the Java views now (before their manager closes). */
    void copyToHost() {
        experts0();
        positions0();
    }

    private int[][] experts0() {
        if (expertHost == null) {
            expertHost = onHost(expert);
        }
        return expertHost;
    }

    private int[][] positions0() {
        if (positionHost == null) {
            positionHost = onHost(position);
        }
        return positionHost;
    }

    private static int[][] onHost(NDArray index) {
        int rows = Math.toIntExact(index.getShape().get(0));
        int cols = Math.toIntExact(index.getShape().get(1));
        long[] flat = index.toLongArray();
        int[][] out = new int[rows][cols];
        for (int t = 0; t < rows; t++) {
            for (int s = 0; s < cols; s++) {
                out[t][s] = (int) flat[t * cols + s];
            }
        }
        return out;
    }

    private NDArray onDevice(int[][] index) {
        int rows = index.length;
        int cols = rows == 0 ? 0 : index[0].length;
        long[] flat = Arrays.stream(index).flatMapToInt(Arrays::stream).asLongStream().toArray();
        NDManager manager = weights.getManager();
        return manager.create(flat, new Shape(rows, cols)).toDevice(weights.getDevice(), false);
    }

    @Override
    public String toString() {
        return "Routing(T=" + numItems() + ", S=" + slots() + ", E=" + numExperts + ", C="
                + capacity + ")";
    }
}
