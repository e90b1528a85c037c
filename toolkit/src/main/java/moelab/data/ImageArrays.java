package moelab.data;

/**
 * Decoded 8-bit images and their integer labels, as read from a dataset's files.
 *
 * @param pixels images laid out (N, C, H, W), unsigned bytes
 * @param labels N class indices
 * @param channels C
 * @param height H
 * @param width W
 */
public record ImageArrays(byte[] pixels, int[] labels, int channels, int height, int width) {

    /** Checks that pixels and labels describe the same number of whole images. */
    public ImageArrays {
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(
                    labels.length
                            + " labels but "
                            + pixels.length
                            + " pixel bytes for images of "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width);
        }
    }

    /**
     * Returns the number of images.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the number of bytes of one image.
     *
     * @return C * H * W
     */
    public int imageSize() {
        return channels * height * width;
    }
}
