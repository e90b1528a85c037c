// exercise: 04-balance
// expect: FAILED
// Right value, but computed in Java floats: no gradient reaches the router.
NDArray balanceLoss(Routing routing) {
    int experts = routing.numExperts();
    float[] fraction = new float[experts];
    for (int t = 0; t < routing.numItems(); t++) {
        fraction[routing.expert(t, 0)] += 1f / routing.numItems();
    }
    float[] meanProb = routing.probs().mean(new int[] {0}).toFloatArray();
    float loss = 0;
    for (int e = 0; e < experts; e++) {
        loss += fraction[e] * meanProb[e];
    }
    return routing.probs().getManager().create(loss * experts);
}
