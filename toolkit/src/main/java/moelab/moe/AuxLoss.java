package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import moelab.routing.Routing;
import moelab.nd.Scalars;

/**
 * An auxiliary loss computed from a routing, added to the task loss to keep experts balanced or
 * router logits small. Terms compose: Sparse-MLP's {@code λ(½ L_imp + ½ L_load)} is
 * {@code new ImportanceLoss().plus(new LoadLoss()).times(λ / 2)}.
 */
@FunctionalInterface
public interface AuxLoss {

    /** @return a scalar loss on the routing's device */
    NDArray compute(Routing routing);

    /** This loss plus another. */
    default AuxLoss plus(AuxLoss other) {
        return routing -> compute(routing).add(other.compute(routing));
    }

    /** This loss scaled by {@code weight}. */
    default AuxLoss times(double weight) {
        return routing -> Scalars.times(compute(routing), weight);
    }

    /** No auxiliary loss (always zero). */
    static AuxLoss none() {
        return routing -> routing.logits().getManager().zeros(new Shape(), routing.logits()
                .getDataType());
    }

    /** Squared coefficient of variation {@code var(x) / mean(x)²} of a vector, population variance. */
    static NDArray cv2(NDArray x) {
        NDArray mean = x.mean();
        NDArray variance = x.sub(mean).square().mean();
        return variance.div(mean.square().add(1e-10f));
    }
}
