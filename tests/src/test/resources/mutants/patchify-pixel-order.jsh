// exercise: 05-patchify
// expect: FAILED
// Skips the transpose: "patches" are consecutive runs of P·P pixels in row-major image order,
// i.e. strips of the image, not square patches.
NDArray patchify(NDArray images, int patchSize) {
    Shape shape = images.getShape();
    long batch = shape.get(0), channels = shape.get(1);
    long rows = shape.get(2) / patchSize, cols = shape.get(3) / patchSize;
    return images.reshape(batch, rows * cols, channels * patchSize * patchSize);
}
