// exercise: 08-switch-router
// expect: FAILED
// Right decisions and right weight values, but the weights are rebuilt from Java floats: no gradient reaches W_g.
class MySwitchRouter implements Router {

    final double capacityFactor;

    MySwitchRouter(double capacityFactor) {
        this.capacityFactor = capacityFactor;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int tokens = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        NDArray probs = logits.softmax(1);
        float[] p = probs.toType(DataType.FLOAT32, false).toFloatArray();
        int capacity = capacityFactor <= 0 ? tokens : (int) Math.ceil(tokens * capacityFactor / experts);
        capacity = Math.max(1, Math.min(capacity, tokens));
        int[][] expert = new int[tokens][1];
        int[][] position = new int[tokens][1];
        float[][] w = new float[tokens][1];
        int[] filled = new int[experts];
        for (int t = 0; t < tokens; t++) {
            int best = 0;
            for (int e = 1; e < experts; e++) {
                if (p[t * experts + e] > p[t * experts + best]) {
                    best = e;
                }
            }
            expert[t][0] = best;
            position[t][0] = filled[best] < capacity ? filled[best]++ : -1;
            w[t][0] = position[t][0] >= 0 ? p[t * experts + best] : 0f;
        }
        NDArray weights = logits.getManager().create(w).toType(probs.getDataType(), false);
        return new Routing(experts, capacity, expert, position, weights, probs, logits, null);
    }
}

Router switchRouter(double capacityFactor) {
    return new MySwitchRouter(capacityFactor);
}
