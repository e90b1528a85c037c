package moelab.moe;

import ai.djl.ndarray.NDArray;
import moelab.routing.Routing;

/**
 * Load loss (Shazeer et al. 2017; V-MoE): {@code CV(load)²} where
 * {@code load_e = Σ_t P(e selected for x_t)} under the gate noise, a smooth stand-in for the
 * number of items an expert receives. Zero for routers without gate noise (and at evaluation,
 * when there is no noise), where the load is a count and carries no gradient.
 */
public final class LoadLoss implements AuxLoss {

    @Override
    public NDArray compute(Routing routing) {
        NDArray p = routing.loadProbability(); // (T, E) or null
        return p == null ? AuxLoss.none().compute(routing) : AuxLoss.cv2(p.sum(new int[] {0}));
    }
}
