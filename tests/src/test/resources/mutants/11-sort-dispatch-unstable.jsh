// exercise: 11-sort-dispatch
// expect: FAILED
// Fills each expert's range from its end: tokens of one expert come out in reverse order (not stable).
ExpertOrder sortByExpert(int[] expert, int numExperts) {
    int[] offsets = new int[numExperts + 1];
    for (int e : expert) {
        offsets[e + 1]++;
    }
    for (int e = 0; e < numExperts; e++) {
        offsets[e + 1] += offsets[e];
    }
    int[] end = java.util.Arrays.copyOfRange(offsets, 1, numExperts + 1);
    int[] order = new int[expert.length];
    int[] inverse = new int[expert.length];
    for (int t = 0; t < expert.length; t++) {
        int row = --end[expert[t]];
        order[row] = t;
        inverse[t] = row;
    }
    return new ExpertOrder(order, offsets, inverse);
}
