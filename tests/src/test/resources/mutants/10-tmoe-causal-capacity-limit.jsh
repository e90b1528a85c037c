// exercise: 10-tmoe-causal
// expect: FAILED
// Adds a Switch-style capacity limit, ceil(N/E) tokens per expert served in batch order: whether
// a token is dropped now depends on the tokens before it in the batch, other sequences included.
NDArray causalTokenMoe(NDArray x, NDArray gate, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
    Shape shape = x.getShape();
    long d = shape.get(shape.dimension() - 1);
    int experts = (int) gate.getShape().get(1);
    NDArray tokens = x.reshape(-1, d);
    NDArray probs = tokens.matMul(gate).softmax(1);
    long[] choice = probs.argMax(1).toType(DataType.INT64, false).toLongArray();
    int capacity = (int) Math.ceil((double) choice.length / experts);
    int[] filled = new int[experts];
    float[] kept = new float[choice.length];
    for (int t = 0; t < choice.length; t++) if (filled[(int) choice[t]]++ < capacity) kept[t] = 1;
    NDArray onehot = probs.argMax(1).oneHot(experts).toType(x.getDataType(), false);
    NDArray weight = probs.mul(onehot).sum(new int[] {1}, true).mul(x.getManager().create(kept).reshape(-1, 1));
    NDArray hidden = Activation.gelu(tokens.matMul(w1).add(b1.expandDims(1)));
    NDArray outputs = hidden.matMul(w2).add(b2.expandDims(1));
    NDArray own = outputs.mul(onehot.transpose().expandDims(2)).sum(new int[] {0});
    return own.mul(weight).reshape(shape);
}
