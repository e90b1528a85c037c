package moelab.moe;

import ai.djl.ndarray.NDArray;
import moelab.routing.Routing;

/**
 * Router z-loss (ST-MoE, Zoph et al. 2022): {@code mean_t (log Σ_e exp (W_g x_t)_e)²}; it keeps
 * router logits small, which keeps the softmax numerically stable.
 */
public final class RouterZLoss implements AuxLoss {

    @Override
    public NDArray compute(Routing routing) {
        NDArray logits = routing.logits(); // (T, E)
        NDArray max = logits.max(new int[] {1}, true).stopGradient();
        NDArray logSumExp = logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
        return logSumExp.square().mean();
    }
}
