package moelab.models;

import ai.djl.ndarray.types.Shape;

/**
 * The image part of an image model's config: square {@code imageSize × imageSize} images of
 * {@code imageChannels} colour channels, cut into {@code P × P} patches, classified into
 * {@code numClasses} classes.
 *
 * @param imageSize {@code H = W} in pixels
 * @param imageChannels colour channels
 * @param patchSize {@code P}; must divide {@code imageSize}
 * @param numClasses classes of the classifier head
 */
public record ImagePart(int imageSize, int imageChannels, int patchSize, int numClasses) {

    /** Checks the values. */
    public ImagePart {
        Checks.require(imageSize >= 1, "image.image-size", imageSize, "must be >= 1");
        Checks.require(imageChannels >= 1, "image.image-channels", imageChannels, "must be >= 1");
        Checks.require(patchSize >= 1 && imageSize % patchSize == 0, "image.patch-size", patchSize,
                "must divide image.image-size = " + imageSize);
        Checks.require(numClasses >= 1, "image.num-classes", numClasses, "must be >= 1");
    }

    /** Number of patches {@code S = (imageSize / P)²}. */
    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    /** A batch of {@code B} images, {@code (B, imageChannels, imageSize, imageSize)}. */
    public Shape inputShape(long batch) {
        return new Shape(batch, imageChannels, imageSize, imageSize);
    }
}
