// exercise: 03-dispatch
// expect: FAILED
// Checks that a slot has an expert, not that it was kept: a dropped slot (position -1) is written
// one row before its expert's buffer, over another expert's item.
NDArray dispatch(NDArray items, Routing routing) {
    int tokens = (int) items.getShape().get(0);
    long dim = items.getShape().get(1);
    int capacity = routing.capacity();
    long[] source = new long[routing.numExperts() * capacity];
    java.util.Arrays.fill(source, tokens);
    for (int t = 0; t < tokens; t++) {
        for (int s = 0; s < routing.slots(); s++) {
            int e = routing.expert(t, s);
            if (e >= 0 && e * capacity + routing.position(t, s) >= 0) {
                source[e * capacity + routing.position(t, s)] = t;
            }
        }
    }
    NDArray padded = items.concat(items.getManager().zeros(new Shape(1, dim), items.getDataType()));
    return padded.get(items.getManager().create(source)).reshape(routing.numExperts(), capacity, dim);
}
