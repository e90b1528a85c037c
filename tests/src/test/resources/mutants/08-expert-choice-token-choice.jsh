// exercise: 08-expert-choice
// expect: FAILED
// Token choice in disguise: each token picks its best expert, experts take tokens until full.
class MyExpertChoiceRouter implements Router {

    final double capacityFactor;

    MyExpertChoiceRouter(double capacityFactor) {
        this.capacityFactor = capacityFactor;
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int tokens = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        NDArray affinity = logits.softmax(1);
        float[] s = affinity.toType(DataType.FLOAT32, false).toFloatArray();
        int capacity = Math.max(1, Math.min(tokens, (int) Math.ceil(tokens * capacityFactor / experts)));
        int[][] expert = new int[tokens][1];
        int[][] position = new int[tokens][1];
        long[][] index = new long[tokens][1];
        float[][] used = new float[tokens][1];
        int[] filled = new int[experts];
        for (int t = 0; t < tokens; t++) {
            int best = 0;
            for (int e = 1; e < experts; e++) {
                if (s[t * experts + e] > s[t * experts + best]) {
                    best = e;
                }
            }
            boolean fits = filled[best] < capacity;
            expert[t][0] = fits ? best : -1;
            position[t][0] = fits ? filled[best]++ : -1;
            index[t][0] = best;
            used[t][0] = fits ? 1f : 0f;
        }
        NDManager m = logits.getManager();
        NDArray weights = affinity.gather(m.create(index), 1).mul(m.create(used).toType(affinity.getDataType(), false));
        return new Routing(experts, capacity, expert, position, weights, affinity, logits, null);
    }
}

Router expertChoiceRouter(double capacityFactor) {
    return new MyExpertChoiceRouter(capacityFactor);
}
