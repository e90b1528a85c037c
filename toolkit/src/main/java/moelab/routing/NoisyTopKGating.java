package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import moelab.nd.Scalars;

/**
 * Noisy top-k gating with <em>learned</em> noise (Shazeer et al. 2017, "Outrageously Large Neural
 * Networks", §2.1 and Appendix A):
 *
 * <pre>
 *   H(x)_i   = (x W_g)_i + n_i · Softplus((x W_noise)_i),   n_i ~ N(0, 1)
 *   G(x)     = Softmax(KeepTopK(H(x), k))                   (top-k first, then the softmax)
 *   P(x, i)  = Φ(((x W_g)_i − kth_excluding(H(x), k, i)) / Softplus((x W_noise)_i))
 * </pre>
 *
 * {@code KeepTopK} sets every entry outside the k largest to −∞ (ties go to the lower expert
 * index), so {@code G} is zero there and each row of {@code G} sums to one. {@code P(x, i)} is the
 * probability that expert i stays among the top k when only its own noise is drawn again; its sum
 * over a batch is the smooth load {@code Load(X)_i} of the paper's load loss.
 * {@code kth_excluding(H, k, i)} is the k-th largest entry of {@code H} without entry i: the
 * (k+1)-th largest overall for an expert in the top k, the k-th largest for the others.
 *
 * <p>The noise tensor is an argument, so the gate is deterministic under test; a training pass
 * draws it from {@code N(0, 1)}, an evaluation pass passes zeros. V-MoE and {@link TopKRouter}
 * instead add noise of a fixed standard deviation {@code 1/E} after the gate.
 */
public final class NoisyTopKGating {

    private NoisyTopKGating() {}

    /**
     * The gates and the load probabilities.
     *
     * @param x {@code (T, d)} items
     * @param wGate {@code (d, E)} gate weights {@code W_g}
     * @param wNoise {@code (d, E)} noise weights {@code W_noise}
     * @param noise {@code (T, E)} standard normal draws {@code n} (zeros for no noise)
     * @param k experts per item, {@code 1 <= k < E}
     * @return {@code [G (T, E), P (T, E)]}: the gates, zero outside each item's top k, and the
     *     probability of each expert being in the top k; both differentiable in {@code W_g} and
     *     {@code W_noise}
     */
    public static NDList gates(NDArray x, NDArray wGate, NDArray wNoise, NDArray noise, int k) {
        NDArray clean = x.matMul(wGate); // (T, E)
        int experts = Math.toIntExact(clean.getShape().get(1));
        if (k < 1 || k >= experts) {
            throw new IllegalArgumentException(
                    "noisy top-k gating needs 1 <= k < E, got k=" + k + " E=" + experts);
        }
        NDArray scale = Activation.softPlus(x.matMul(wNoise)); // (T, E), > 0
        NDArray noisy = clean.add(noise.toType(clean.getDataType(), false).mul(scale)); // H (T, E)

        NDArray top = StableOrder.top(noisy, k + 1); // (T, k+1): k+1 largest, largest first
        NDArray ids = noisy.getManager().arange(0f, experts, 1f, DataType.INT64, noisy.getDevice())
                .reshape(1, 1, experts);
        NDArray mask = top.get(":, :" + k).expandDims(2).eq(ids).toType(DataType.INT32, false)
                .sum(new int[] {1}).gt(0); // (T, E) boolean: in the top k
        NDArray kth = top.get(":, " + (k - 1) + ":" + k); // (T, 1)
        NDArray kthPlusOne = top.get(":, " + k + ":" + (k + 1)); // (T, 1)
        NDArray minusInf = noisy.getManager().full(noisy.getShape(), Float.NEGATIVE_INFINITY)
                .toType(noisy.getDataType(), false);
        NDArray gates = NDArrays.where(mask, noisy, minusInf).softmax(1); // G (T, E)

        NDArray ifIn = Slots.gather(noisy, kthPlusOne); // (T, 1): threshold for experts in the top k
        NDArray ifOut = Slots.gather(noisy, kth); // (T, 1): threshold for the others
        NDArray threshold = NDArrays.where(mask, ifIn.broadcast(noisy.getShape()),
                ifOut.broadcast(noisy.getShape())); // (T, E)
        NDArray z = clean.sub(threshold).div(scale);
        NDArray load = Scalars.times(Scalars.dividedBy(z, Math.sqrt(2)).erf().add(
                Scalars.constant(z, 1)), 0.5); // Φ(z), (T, E)
        return new NDList(gates, load);
    }

    /**
     * A {@link Routing} from gates: each item's k nonzero gates become its k slots (largest
     * first, ties to the lower index), seats assigned slot-major in batch order (the rule of
     * {@link Capacity#assign}, computed on the device); the combine weight of a kept slot is its
     * gate.
     *
     * @param gates {@code (T, E)} gates {@code G}, zero outside the top k
     * @param logits {@code (T, E)} clean logits {@code x W_g} (for the z-loss)
     * @param loadProbability {@code (T, E)} {@code P(x, i)}, or null
     * @param k experts per item
     * @param capacityFactor see {@link Capacity}
     * @return the routing; its {@link Routing#probs()} are the gates, so
     *     {@code moelab.moe.ImportanceLoss} computes Shazeer's {@code CV(Σ_x G(x))²} (the gates
     *     also serve as its {@link Routing#cleanProbs()})
     */
    public static Routing routing(
            NDArray gates, NDArray logits, NDArray loadProbability, int k, double capacityFactor) {
        int experts = Logits.check(gates);
        NDArray choice = StableOrder.top(gates, k); // (T, k)
        return Slots.route(choice, null, Slots.gather(gates, choice), capacityFactor, gates, gates,
                logits, loadProbability);
    }

    /** Standard normal noise of the gate's shape and type, or zeros when not training. */
    public static NDArray noise(NDArray like, boolean training) {
        return training
                ? like.getManager().randomNormal(like.getShape()).toType(like.getDataType(), false)
                : like.zerosLike();
    }
}
