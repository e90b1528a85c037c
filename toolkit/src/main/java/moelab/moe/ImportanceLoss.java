package moelab.moe;

import ai.djl.ndarray.NDArray;
import moelab.routing.Routing;

/**
 * Importance loss (Shazeer et al. 2017; V-MoE): {@code CV(importance)²} where
 * {@code importance_e = Σ_t softmax(W_g x_t)_e} is the total router probability an expert gets
 * over the batch. Zero when every expert gets the same total. It reads the noise-free
 * probabilities ({@link Routing#cleanProbs()}), so it does not change with the gate-noise draw
 * (V-MoE).
 */
public final class ImportanceLoss implements AuxLoss {

    @Override
    public NDArray compute(Routing routing) {
        return AuxLoss.cv2(routing.cleanProbs().sum(new int[] {0})); // (E) -> scalar
    }
}
