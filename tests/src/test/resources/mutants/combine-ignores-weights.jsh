// exercise: 03-combine
// expect: FAILED
// Sums the slots' outputs without the router's combine weights.
NDArray combine(NDArray outputs, Routing routing) {
    int experts = routing.numExperts();
    int capacity = routing.capacity();
    long dim = outputs.getShape().get(2);
    int tokens = routing.numItems();
    int slots = routing.slots();
    long[] source = new long[tokens * slots];
    java.util.Arrays.fill(source, (long) experts * capacity);
    for (int t = 0; t < tokens; t++) {
        for (int s = 0; s < slots; s++) {
            if (routing.kept(t, s)) {
                source[t * slots + s] = (long) routing.expert(t, s) * capacity + routing.position(t, s);
            }
        }
    }
    NDArray flat = outputs.reshape((long) experts * capacity, dim).concat(outputs.getManager().zeros(new Shape(1, dim)));
    return flat.get(outputs.getManager().create(source)).reshape(tokens, slots, dim).sum(new int[] {1});
}
