// exercise: 12-bias-balancing
// expect: FAILED
// Moves the bias the wrong way (load − mean): overloaded experts get more tokens, not fewer.
NDList biasBalancing(NDArray scores, NDArray bias, int k, double gamma) {
    int experts = (int) scores.getShape().get(1);
    NDArray chosen = scores.add(bias.expandDims(0)).argSort(1, false).get(":, 0:" + k);
    NDArray gates = scores.gather(chosen, 1);
    int[] load = new int[experts];
    for (long e : chosen.toLongArray()) {
        load[(int) e]++;
    }
    double mean = (double) scores.getShape().get(0) * k / experts;
    float[] step = new float[experts];
    for (int e = 0; e < experts; e++) {
        step[e] = (float) (gamma * Math.signum(load[e] - mean));
    }
    return new NDList(chosen, gates, bias.add(scores.getManager().create(step)));
}
