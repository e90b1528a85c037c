package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Auxiliary-loss-free load balancing (Wang et al. 2024; DeepSeek-V3): each expert has a bias
 * {@code b_e} that is added to the routing scores <em>only to choose</em> the experts, never to
 * weight them, and after each training batch the bias moves against the expert's load error:
 *
 * <pre>
 *   chosen(t) = TopK_e(s_{t,e} + b_e)              selection: scores plus bias
 *   g_{t,e}   = s_{t,e}  for e in chosen(t)       gate weights: scores only
 *   b_e      += γ · sign(mean_load − load_e)       after the batch; mean_load = k T / E
 * </pre>
 *
 * An overloaded expert's bias falls, so fewer tokens pick it next time; no gradient flows through
 * the bias, so balancing does not fight the task loss as an auxiliary loss does. Scores here are
 * the router probabilities {@code s = softmax(W_g x)} (DeepSeek-V3 uses sigmoid affinities and
 * renormalises the k gates; the bias rule is the same).
 *
 * <p>The router is stateful: every {@code route(..., training = true)} updates the bias from that
 * batch's load (its assignments, before any capacity limit). Ties go to the lower expert index.
 * Selection and seats are tensor operations on the logits' device; the bias update reads the
 * {@code E} loads once per training pass (the bias is Java state that outlives the batch).
 */
public final class BiasBalancedRouter implements Router {

    private final int k;
    private final double gamma;
    private final double capacityFactor;
    private float[] bias;

    /**
     * @param k experts per token
     * @param gamma the bias update speed {@code γ} (DeepSeek-V3: 0.001 for most of training)
     * @param capacityFactor see {@link Capacity}; {@code <= 0} for no dropping (as DeepSeek-V3)
     */
    public BiasBalancedRouter(int k, double gamma, double capacityFactor) {
        if (k < 1 || gamma < 0) {
            throw new IllegalArgumentException("bias-balanced routing needs k >= 1 and γ >= 0, got k="
                    + k + " γ=" + gamma);
        }
        Capacity.checkFactor(capacityFactor);
        this.k = k;
        this.gamma = gamma;
        this.capacityFactor = capacityFactor;
    }

    /**
     * One step of the rule on plain arrays: choose with {@code scores + bias}, gate with
     * {@code scores}, update the bias from the load.
     *
     * @param scores {@code (T, E)} routing scores
     * @param bias {@code (E)} current bias
     * @param k experts per token
     * @param gamma update speed
     * @return {@code [chosen (T, k) int64, gates (T, k), new bias (E)]}
     */
    public static NDList step(NDArray scores, NDArray bias, int k, double gamma) {
        int experts = Math.toIntExact(scores.getShape().get(1));
        NDArray chosen = StableOrder.top(scores.add(bias.expandDims(0)), k); // (T, k)
        NDArray gates = scores.gather(chosen, 1);
        float[] updated = updatedBias(bias.toType(DataType.FLOAT32, false).toFloatArray(),
                load(chosen, experts), gamma);
        return new NDList(chosen, gates, scores.getManager().create(updated));
    }

    /** Assignments per expert, length E (one read of E counts from the device). */
    static int[] load(NDArray choice, int experts) {
        return load(Seats.of(choice, null, experts));
    }

    private static int[] load(Seats seats) {
        return seats.loads().toType(DataType.INT32, false).toIntArray();
    }

    /** {@code b_e + γ · sign(mean(load) − load_e)}. */
    static float[] updatedBias(float[] bias, int[] load, double gamma) {
        double mean = IntStream.of(load).average().orElse(0);
        float[] next = bias.clone();
        for (int e = 0; e < next.length; e++) {
            next[e] += (float) (gamma * Math.signum(mean - load[e]));
        }
        return next;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        if (k > experts) {
            throw new IllegalArgumentException("top-" + k + " routing over only " + experts + " experts");
        }
        if (bias == null || bias.length != experts) {
            bias = new float[experts];
        }
        NDArray probs = logits.softmax(1); // scores s
        NDArray b = logits.getManager().create(bias).toDevice(logits.getDevice(), false)
                .toType(probs.getDataType(), false);
        NDArray choice = StableOrder.top(probs.add(b.expandDims(0)), k); // (T, k)
        Seats seats = Seats.of(choice, null, experts);
        if (training) {
            bias = updatedBias(bias, load(seats), gamma);
        }
        int capacity = Slots.capacity(seats, k, tokens(logits), capacityFactor, experts);
        return Slots.route(seats, capacity, choice, Slots.gather(probs, choice), probs, probs,
                logits, null);
    }

    private static int tokens(NDArray logits) {
        return Math.toIntExact(logits.getShape().get(0));
    }

    /** A copy of the current bias {@code b} (zeros before the first call). */
    public float[] bias() {
        return bias == null ? new float[0] : bias.clone();
    }

    /** Resets the bias to zero. */
    public void reset() {
        bias = null;
    }

    @Override
    public String toString() {
        return "BiasBalancedRouter(k=" + k + ", gamma=" + gamma + ", capacityFactor=" + capacityFactor
                + ", bias=" + Arrays.toString(bias()) + ")";
    }
}
