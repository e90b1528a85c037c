package moelab.moe;

import ai.djl.ndarray.NDArray;
import moelab.routing.Routing;
import moelab.nd.Scalars;

/**
 * Switch Transformer / GShard load-balancing loss {@code E · Σ_e f_e · P_e}, with {@code f_e} the
 * fraction of items whose first choice is expert e (a count, no gradient) and {@code P_e} the mean
 * router probability of expert e. Equals 1 when routing is perfectly uniform.
 */
public final class BalanceLoss implements AuxLoss {

    @Override
    public NDArray compute(Routing routing) {
        int experts = routing.numExperts();
        float[] fraction = new float[experts];
        for (int t = 0; t < routing.numItems(); t++) {
            int e = routing.expert(t, 0);
            if (e >= 0) {
                fraction[e] += 1f / routing.numItems();
            }
        }
        NDArray meanProb = routing.probs().mean(new int[] {0}); // (E)
        NDArray f = meanProb.getManager().create(fraction).toType(meanProb.getDataType(), false);
        return Scalars.times(f.mul(meanProb).sum(), experts);
    }
}
