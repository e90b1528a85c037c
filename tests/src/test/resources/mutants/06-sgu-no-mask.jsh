// exercise: 06-sgu
// expect: FAILED
// Forgets the causal mask in the gate: every position's gate reads the whole sequence, future included.
NDArray spatialGating(NDArray z, NDArray w, NDArray b) {
    long f = z.getShape().get(2) / 2;
    int length = (int) z.getShape().get(1);
    NDArray u = z.get(":, :, :" + f);
    NDArray v = z.get(":, :, " + f + ":");
    NDArray mean = v.mean(new int[] {2}, true);
    NDArray variance = v.sub(mean).square().mean(new int[] {2}, true);
    NDArray normed = v.sub(mean).div(variance.add(1e-5f).sqrt());
    return u.mul(w.matMul(normed).add(b.reshape(length, 1)));
}
