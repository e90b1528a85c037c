package moelab.data;

import java.util.Arrays;

/**
 * Per-channel normalisation of 8-bit pixels: {@code x = (pixel / 255 - mean[c]) / std[c]}.
 *
 * <p>The constants are the statistics of each dataset's training set, measured on the pixel values
 * scaled to [0, 1]; {@link #measure} recomputes them.
 */
public final class ChannelNormalization {

    /** Fashion-MNIST training set: mean 0.2860, std 0.3530 (one channel). */
    public static final ChannelNormalization FASHION_MNIST =
            new ChannelNormalization(new float[] {0.2860f}, new float[] {0.3530f});

    /** CIFAR-10 training set, channels R, G, B. */
    public static final ChannelNormalization CIFAR10 =
            new ChannelNormalization(
                    new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    /** CIFAR-100 training set, channels R, G, B. */
    public static final ChannelNormalization CIFAR100 =
            new ChannelNormalization(
                    new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f});

    /** ImageNet-1k training set, channels R, G, B (the torchvision constants). */
    public static final ChannelNormalization IMAGENET =
            new ChannelNormalization(
                    new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;

    /**
     * Creates a normalisation from per-channel statistics of pixels scaled to [0, 1].
     *
     * @param mean one mean per channel
     * @param std one standard deviation per channel, all positive
     */
    public ChannelNormalization(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "need one mean and one std per channel, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Measures the per-channel mean and (population) standard deviation of 8-bit images.
     *
     * @param pixels images laid out (N, C, H, W) as unsigned bytes
     * @param channels C
     * @param planeSize H * W
     * @return the statistics of {@code pixels / 255}
     */
    public static ChannelNormalization measure(byte[] pixels, int channels, int planeSize) {
        int imageSize = channels * planeSize;
        if (pixels.length == 0 || pixels.length % imageSize != 0) {
            throw new IllegalArgumentException(
                    pixels.length + " bytes are not whole images of " + channels + "x" + planeSize);
        }
        long[] sum = new long[channels];
        long[] sumSquares = new long[channels];
        for (int i = 0; i < pixels.length; i++) {
            int c = (i % imageSize) / planeSize;
            int v = pixels[i] & 0xFF;
            sum[c] += v;
            sumSquares[c] += (long) v * v;
        }
        double perChannel = (double) pixels.length / channels;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / perChannel;
            double variance = sumSquares[c] / perChannel - m * m;
            mean[c] = (float) (m / 255);
            std[c] = (float) (Math.sqrt(Math.max(variance, 0)) / 255);
        }
        return new ChannelNormalization(mean, std);
    }

    /**
     * Returns the number of channels.
     *
     * @return C
     */
    public int channels() {
        return mean.length;
    }

    /**
     * Returns the mean of a channel.
     *
     * @param channel the channel index
     * @return its mean, on the [0, 1] scale
     */
    public float mean(int channel) {
        return mean[channel];
    }

    /**
     * Returns the standard deviation of a channel.
     *
     * @param channel the channel index
     * @return its standard deviation, on the [0, 1] scale
     */
    public float std(int channel) {
        return std[channel];
    }

    /**
     * Normalises one 8-bit pixel value.
     *
     * @param channel the channel it belongs to
     * @param pixel the value in 0..255
     * @return {@code (pixel / 255 - mean[channel]) / std[channel]}
     */
    public float apply(int channel, int pixel) {
        return (pixel / 255f - mean[channel]) / std[channel];
    }

    /**
     * Returns the means, for DJL's {@code NDImageUtils.normalize}.
     *
     * @return a copy of the per-channel means
     */
    public float[] means() {
        return mean.clone();
    }

    /**
     * Returns the standard deviations, for DJL's {@code NDImageUtils.normalize}.
     *
     * @return a copy of the per-channel standard deviations
     */
    public float[] stds() {
        return std.clone();
    }

    @Override
    public String toString() {
        return "ChannelNormalization{mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "}";
    }
}
