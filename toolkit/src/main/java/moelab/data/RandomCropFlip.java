package moelab.data;

import java.util.SplittableRandom;

/**
 * The standard CIFAR training augmentation: pad each side with {@code padding} zero (black)
 * pixels, crop a random window of the original size, then flip left-right with probability
 * {@code flipProbability}.
 *
 * <p>Padding is applied to the raw 8-bit pixels, before normalisation, as torchvision's {@code
 * RandomCrop(32, padding=4)} does; a padded pixel therefore normalises to {@code -mean/std}.
 */
public final class RandomCropFlip {

    /**
     * Where the crop window sits and whether the crop is mirrored.
     *
     * @param top the window's first row in the padded image, 0..2*padding
     * @param left the window's first column in the padded image, 0..2*padding
     * @param flip whether the cropped image is mirrored left-right
     */
    public record Placement(int top, int left, boolean flip) {}

    private final int padding;
    private final double flipProbability;

    /**
     * Creates the augmentation.
     *
     * @param padding zero pixels added on each side before cropping (CIFAR: 4)
     * @param flipProbability probability of a horizontal flip (CIFAR: 0.5)
     */
    public RandomCropFlip(int padding, double flipProbability) {
        if (padding < 0 || flipProbability < 0 || flipProbability > 1) {
            throw new IllegalArgumentException(
                    "padding must be >= 0 and flipProbability in [0, 1], got "
                            + padding
                            + " and "
                            + flipProbability);
        }
        this.padding = padding;
        this.flipProbability = flipProbability;
    }

    /**
     * Returns the CIFAR setting: 4 pixels of padding, flip with probability 1/2.
     *
     * @return the augmentation used by the CIFAR loaders
     */
    public static RandomCropFlip cifar() {
        return new RandomCropFlip(4, 0.5);
    }

    /**
     * Returns the Fashion-MNIST setting: 2 pixels of padding, flip with probability 1/2 (garments
     * are close to mirror-symmetric; the background is zero, like the padding).
     *
     * @return the augmentation used for Fashion-MNIST training
     */
    public static RandomCropFlip fashionMnist() {
        return new RandomCropFlip(2, 0.5);
    }

    /**
     * Returns the padding on each side.
     *
     * @return padding in pixels
     */
    public int padding() {
        return padding;
    }

    /**
     * Draws a placement: top and left uniform in 0..2*padding, flip with the set probability.
     *
     * @param random the random source
     * @return the drawn placement
     */
    public Placement draw(SplittableRandom random) {
        int top = random.nextInt(2 * padding + 1);
        int left = random.nextInt(2 * padding + 1);
        boolean flip = random.nextDouble() < flipProbability;
        return new Placement(top, left, flip);
    }

    /**
     * Crops (and maybe flips) one image. Output pixel {@code (c, y, x)} is the padded input's pixel
     * {@code (c, y + top, x' + left)} with {@code x' = flip ? width - 1 - x : x}; padded pixels are
     * 0.
     *
     * @param source images (N, C, H, W) as unsigned bytes
     * @param offset index in {@code source} of the image's first byte
     * @param channels C
     * @param height H
     * @param width W
     * @param placement where to crop and whether to flip
     * @param target receives the (C, H, W) result, starting at {@code targetOffset}
     * @param targetOffset index in {@code target} of the first output byte
     */
    public void apply(
            byte[] source,
            int offset,
            int channels,
            int height,
            int width,
            Placement placement,
            byte[] target,
            int targetOffset) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + placement.top() - padding;
                for (int x = 0; x < width; x++) {
                    int sx = (placement.flip() ? width - 1 - x : x) + placement.left() - padding;
                    byte value = 0;
                    if (sy >= 0 && sy < height && sx >= 0 && sx < width) {
                        value = source[offset + c * plane + sy * width + sx];
                    }
                    target[targetOffset + c * plane + y * width + x] = value;
                }
            }
        }
    }
}
