// exercise: 09-sparse-block-flops
// expect: FAILED
// Forgets the gates: counts the experts and the re-representation maps but not W_g of MoE_s and MoE_c.
/** FLOPs per image of one Sparse-MLP block of config: 2 per multiply-add; the gate and the K chosen experts of each item. */
long sparseBlockFlops(SparseMlpConfig config) {
    long s = config.image().numPatches(), c = config.mixer().width();
    boolean rr = config.reRepresentation();
    long s2 = rr ? 2 * s : s, c2 = rr ? c / 2 : c;                         // the grid MoE_s sees, (S', C')
    long flops = 0;
    if (rr) {
        flops += 2 * c * c2 * s + 2 * s * s2 * c2;                          // RR1: channels C -> C' on S rows, patches S -> S' on C' columns
        flops += 2 * c2 * c * s2 + 2 * s2 * s * c;                          // RR2: channels C' -> C on S' rows, patches S' -> S on C columns
    }
    long k = config.moe().topK();
    long es = config.tokenExperts(), ds = config.mixer().tokenHidden();       // MoE_s: C' items of width S'
    flops += es == 0 ? 4 * s2 * ds * c2 : Math.min(k, es) * 4 * s2 * ds * c2;
    boolean inside = rr && config.channelMoeInside();
    long w = inside ? c2 : c, n = inside ? s2 : s;                          // MoE_c: n items of width w
    long ec = config.moe().experts(), dc = config.mixer().channelHidden();
    flops += ec == 0 ? 4 * w * dc * n : Math.min(k, ec) * 4 * w * dc * n;
    return flops;
}

/** The same per image when every expert runs its whole buffer of capacity rows, for batches of batchSize images. */
double sparseBlockPaddedFlops(SparseMlpConfig config, int batchSize) {
    long s = config.image().numPatches(), c = config.mixer().width();
    boolean rr = config.reRepresentation();
    boolean inside = rr && config.channelMoeInside();
    long s2 = rr ? 2 * s : s, c2 = rr ? c / 2 : c;
    long[][] layers = {                                                     // {E, items per image, FLOPs of one expert on one item}
        {config.tokenExperts(), c2, 4 * s2 * config.mixer().tokenHidden()},
        {config.moe().experts(), inside ? s2 : s, 4 * (inside ? c2 : c) * config.mixer().channelHidden()}};
    double flops = sparseBlockFlops(config);
    for (long[] layer : layers) {
        int experts = (int) layer[0];
        if (experts == 0) continue;                                         // a dense slot has no buffers
        int k = Math.min(config.moe().topK(), experts);
        int items = (int) (layer[1] * batchSize);                           // T, the batch's items
        int capacity = Capacity.of(k, items, config.moe().capacityFactor(), experts);
        flops += ((double) experts * capacity - (double) k * items) * layer[2] / batchSize;
    }
    return flops;
}