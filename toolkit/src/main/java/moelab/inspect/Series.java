package moelab.inspect;

/** Transformations of a series before it is drawn. */
public final class Series {

    private Series() {}

    /**
     * The running mean over a window: entry {@code i} is the mean of {@code values[i]} and the up
     * to {@code window - 1} values before it (so the first entries average fewer values).
     */
    public static double[] movingMean(double[] values, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        double[] mean = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] - (i >= window ? values[i - window] : 0);
            mean[i] = sum / Math.min(i + 1, window);
        }
        return mean;
    }
}
