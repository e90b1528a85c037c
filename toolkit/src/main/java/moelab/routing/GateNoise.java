package moelab.routing;

import ai.djl.ndarray.NDArray;

/**
 * Training-time gate noise {@code W_g x + ε}, {@code ε ~ N(0, σ²)} (Shazeer et al. 2017; V-MoE
 * uses {@code σ = 1/E} for both token-choice and expert-choice routing).
 */
final class GateNoise {

    private GateNoise() {}

    /**
     * @param noiseStd the configured standard deviation: 0 for none, negative for {@code 1/E}
     * @param experts {@code E}
     * @return {@code σ}
     */
    static double sigma(double noiseStd, int experts) {
        if (Double.isNaN(noiseStd) || Double.isInfinite(noiseStd)) {
            throw new IllegalArgumentException("gate noise standard deviation must be finite (0 for "
                    + "none, negative for 1/E), got " + noiseStd);
        }
        return noiseStd < 0 ? 1.0 / experts : noiseStd;
    }

    /** {@code logits + N(0, σ²)} drawn on the logits' device. */
    static NDArray add(NDArray logits, double sigma) {
        return logits.add(logits.getManager().randomNormal(0f, (float) sigma, logits.getShape(),
                logits.getDataType()));
    }
}
