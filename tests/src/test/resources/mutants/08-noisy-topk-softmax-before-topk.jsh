// exercise: 08-noisy-topk
// expect: FAILED
// Softmax over all E experts first, then KeepTopK: the kept gates no longer sum to 1.
NDList noisyTopKGating(NDArray x, NDArray wGate, NDArray wNoise, NDArray noise, int k) {
    NDArray clean = x.matMul(wGate);
    NDArray scale = Activation.softPlus(x.matMul(wNoise));
    NDArray noisy = clean.add(noise.mul(scale));
    int tokens = Math.toIntExact(noisy.getShape().get(0));
    int experts = Math.toIntExact(noisy.getShape().get(1));
    float[] h = noisy.toType(DataType.FLOAT32, false).toFloatArray();
    boolean[][] inTop = new boolean[tokens][experts];
    long[][] kth = new long[tokens][1];
    long[][] kthPlusOne = new long[tokens][1];
    for (int t = 0; t < tokens; t++) {
        int base = t * experts;
        Integer[] order = new Integer[experts];
        for (int e = 0; e < experts; e++) {
            order[e] = e;
        }
        Arrays.sort(order, (a, b) -> h[base + a] != h[base + b] ? Float.compare(h[base + b], h[base + a]) : Integer.compare(a, b));
        for (int s = 0; s < k; s++) {
            inTop[t][order[s]] = true;
        }
        kth[t][0] = order[k - 1];
        kthPlusOne[t][0] = order[k];
    }
    NDManager m = x.getManager();
    NDArray mask = m.create(inTop);
    NDArray gates = NDArrays.where(mask, noisy.softmax(1), noisy.zerosLike());
    NDArray ifIn = noisy.gather(m.create(kthPlusOne), 1).broadcast(noisy.getShape());
    NDArray ifOut = noisy.gather(m.create(kth), 1).broadcast(noisy.getShape());
    NDArray threshold = NDArrays.where(mask, ifIn, ifOut);
    NDArray z = clean.sub(threshold).div(scale);
    NDArray load = Scalars.times(Scalars.dividedBy(z, Math.sqrt(2)).erf().add(Scalars.constant(z, 1)), 0.5);
    return new NDList(gates, load);
}
