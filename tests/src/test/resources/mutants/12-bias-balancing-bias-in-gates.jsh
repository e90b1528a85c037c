// exercise: 12-bias-balancing
// expect: FAILED
// Weights the chosen experts with scores + bias: the bias, meant only for selection, leaks into
// the gate weights (and so into the layer's output).
NDList biasBalancing(NDArray scores, NDArray bias, int k, double gamma) {
    int experts = (int) scores.getShape().get(1);
    NDArray biased = scores.add(bias.expandDims(0));
    NDArray chosen = biased.argSort(1, false).get(":, 0:" + k);
    NDArray gates = biased.gather(chosen, 1);
    int[] load = new int[experts];
    for (long e : chosen.toLongArray()) {
        load[(int) e]++;
    }
    double mean = (double) scores.getShape().get(0) * k / experts;
    float[] step = new float[experts];
    for (int e = 0; e < experts; e++) {
        step[e] = (float) (gamma * Math.signum(mean - load[e]));
    }
    return new NDList(chosen, gates, bias.add(scores.getManager().create(step)));
}
