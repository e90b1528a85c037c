// exercise: 08-gshard-second
// expect: FAILED
// Always sends the second expert (plain top-2): ignores the random-routing rule 2·g2' > u.
class MyGShardRouter implements Router {

    final double capacityFactor;
    final DoubleSupplier uniform;

    MyGShardRouter(double capacityFactor, DoubleSupplier uniform) {
        this.capacityFactor = capacityFactor;
        this.uniform = uniform;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int tokens = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        NDManager m = logits.getManager();
        NDArray probs = logits.softmax(1);
        float[] p = probs.toType(DataType.FLOAT32, false).toFloatArray();
        int[][] expert = new int[tokens][2];
        for (int t = 0; t < tokens; t++) {
            int e1 = 0;
            for (int e = 1; e < experts; e++) {
                if (p[t * experts + e] > p[t * experts + e1]) {
                    e1 = e;
                }
            }
            int e2 = e1 == 0 ? 1 : 0;
            for (int e = 0; e < experts; e++) {
                if (e != e1 && p[t * experts + e] > p[t * experts + e2]) {
                    e2 = e;
                }
            }
            expert[t][0] = e1;
            expert[t][1] = e2;
            if (training) {
                uniform.getAsDouble();
            }
        }
        NDArray pair = probs.gather(m.create(expert).toType(DataType.INT64, false), 1);
        NDArray normalised = pair.div(pair.sum(new int[] {1}, true));
        int capacity = capacityFactor <= 0 ? tokens : (int) Math.ceil(2.0 * tokens * capacityFactor / experts);
        capacity = Math.max(1, Math.min(capacity, tokens));
        int[][] position = new int[tokens][2];
        float[][] kept = new float[tokens][2];
        int[] filled = new int[experts];
        for (int s = 0; s < 2; s++) {
            for (int t = 0; t < tokens; t++) {
                int e = expert[t][s];
                position[t][s] = filled[e] < capacity ? filled[e]++ : -1;
                kept[t][s] = position[t][s] >= 0 ? 1f : 0f;
            }
        }
        NDArray weights = normalised.mul(m.create(kept).toType(probs.getDataType(), false));
        return new Routing(experts, capacity, expert, position, weights, probs, logits, null);
    }
}

Router gshardRouter(double capacityFactor, DoubleSupplier uniform) {
    return new MyGShardRouter(capacityFactor, uniform);
}
