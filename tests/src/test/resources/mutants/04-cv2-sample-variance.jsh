// exercise: 04-cv2
// expect: FAILED
// Sample variance (divides by E - 1) instead of the population variance: cv2([1, 3]) = 0.5, not 0.25.
NDArray cv2(NDArray x) {
    NDArray mean = x.mean();
    long n = x.getShape().size();
    return x.sub(mean).square().sum().div(n - 1).div(mean.square());
}
