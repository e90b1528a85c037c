package moelab.inspect;

/** Transformations of a series before it is drawn. */
public final class Series {

    private Series() {}

    /**
     * The running mean over a window of the x-axis: entry {@code i} is the mean of the {@code
     * y[j]}, {@code j <= i}, with {@code x[j] > x[i] - window} (so the first entries average fewer
     * values, and a log that kept only every n-th step is still averaged over {@code window}
     * steps, not rows).
     *
     * @param x increasing positions (steps)
     * @param y values at those positions
     */
    public static double[] movingMean(double[] x, double[] y, double window) {
        if (!(window > 0) || x.length != y.length) {
            throw new IllegalArgumentException("need window > 0 and as many x as y, got window "
                    + window + ", " + x.length + " x and " + y.length + " y");
        }
        double[] mean = new double[y.length];
        double sum = 0;
        int first = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            while (x[first] <= x[i] - window) {
                sum -= y[first++];
            }
            mean[i] = sum / (i - first + 1);
        }
        return mean;
    }
}
