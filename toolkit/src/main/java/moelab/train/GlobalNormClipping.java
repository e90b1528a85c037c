package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping by global norm (Pascanu et al. 2013; {@code torch.nn.utils.clip_grad_norm_}):
 * with {@code ‖g‖ = sqrt(Σ_p Σ g_p²)} over all trainable parameters, every gradient is scaled by
 * {@code maxNorm / ‖g‖} when {@code ‖g‖ > maxNorm}, so the direction of the update is kept and only
 * its length is capped. DJL's optimisers only clip element-wise, hence this class.
 */
public final class GlobalNormClipping {

    private final double maxNorm;

    /** @param maxNorm the largest allowed global norm, {@code > 0} */
    public GlobalNormClipping(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /**
     * Computes the global gradient norm of the trainable parameters.
     *
     * @return {@code ‖g‖}, 0 when no parameter has a gradient
     */
    public static double globalNorm(ParameterList parameters) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray sum = null; // scalar Σ_p Σ g_p², summed on the device, read once
            for (NDArray g : gradients(parameters)) {
                NDArray squares = g.toType(DataType.FLOAT64, false).square().sum();
                sum = sum == null ? squares : sum.add(squares);
            }
            return sum == null ? 0 : Math.sqrt(sum.getDouble());
        }
    }

    /**
     * Scales the gradients in place so that their global norm is at most {@code maxNorm}.
     *
     * @return the global norm before clipping
     */
    public double clip(ParameterList parameters) {
        double norm = globalNorm(parameters);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (NDArray g : gradients(parameters)) {
                    g.muli((float) scale);
                }
            }
        }
        return norm;
    }

    /** The cap. */
    public double maxNorm() {
        return maxNorm;
    }

    private static List<NDArray> gradients(ParameterList parameters) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> entry : parameters) {
            Parameter p = entry.getValue();
            if (p.requiresGradient() && p.isInitialized() && p.getArray().hasGradient()) {
                gradients.add(p.getArray().getGradient());
            }
        }
        return gradients;
    }

    @Override
    public String toString() {
        return "GlobalNormClipping(" + maxNorm + ")";
    }
}
