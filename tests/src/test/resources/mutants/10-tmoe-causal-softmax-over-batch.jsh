// exercise: 10-tmoe-causal
// expect: FAILED
// The gate is normalised over the batch (axis 0) instead of over each token's experts: a token's
// weight now depends on every other token, the future and the other sequences included.
NDArray causalTokenMoe(NDArray x, NDArray gate, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
    Shape shape = x.getShape();
    long d = shape.get(shape.dimension() - 1);
    int experts = (int) gate.getShape().get(1);
    NDArray tokens = x.reshape(-1, d);
    NDArray probs = tokens.matMul(gate).softmax(0);
    NDArray onehot = probs.argMax(1).oneHot(experts).toType(x.getDataType(), false);
    NDArray weight = probs.mul(onehot).sum(new int[] {1}, true);
    NDArray hidden = Activation.gelu(tokens.matMul(w1).add(b1.expandDims(1)));
    NDArray outputs = hidden.matMul(w2).add(b2.expandDims(1));
    NDArray own = outputs.mul(onehot.transpose().expandDims(2)).sum(new int[] {0});
    return own.mul(weight).reshape(shape);
}
