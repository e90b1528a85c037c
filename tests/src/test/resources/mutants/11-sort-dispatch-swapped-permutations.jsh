// exercise: 11-sort-dispatch
// expect: FAILED
// Returns the inverse where the order belongs (swaps the two permutations).
ExpertOrder sortByExpert(int[] expert, int numExperts) {
    int[] offsets = new int[numExperts + 1];
    for (int e : expert) {
        offsets[e + 1]++;
    }
    for (int e = 0; e < numExperts; e++) {
        offsets[e + 1] += offsets[e];
    }
    int[] next = java.util.Arrays.copyOf(offsets, numExperts);
    int[] order = new int[expert.length];
    int[] inverse = new int[expert.length];
    for (int t = 0; t < expert.length; t++) {
        int row = next[expert[t]]++;
        order[row] = t;
        inverse[t] = row;
    }
    return new ExpertOrder(inverse, offsets, order);
}
