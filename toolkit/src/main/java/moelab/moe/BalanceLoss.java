package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import moelab.nd.Scalars;
import moelab.routing.Routing;

/**
 * Switch Transformer / GShard load-balancing loss {@code E · Σ_e f_e · P_e}, with {@code f_e} the
 * fraction of items whose first choice is expert e (a count, no gradient) and {@code P_e} the mean
 * router probability of expert e. Equals 1 when routing is perfectly uniform. Computed on the
 * routing's device.
 */
public final class BalanceLoss implements AuxLoss {

    @Override
    public NDArray compute(Routing routing) {
        int experts = routing.numExperts();
        NDArray meanProb = routing.probs().mean(new int[] {0}); // (E)
        NDArray first = routing.expertIndex().get(":, 0").expandDims(1); // (T, 1), -1 when unused
        NDArray ids = meanProb.getManager().arange(0f, experts, 1f, DataType.INT64,
                meanProb.getDevice());
        NDArray f = first.eq(ids.expandDims(0)).toType(meanProb.getDataType(), false)
                .mean(new int[] {0}); // (E): fraction of first choices
        return Scalars.times(f.mul(meanProb).sum(), experts);
    }
}
