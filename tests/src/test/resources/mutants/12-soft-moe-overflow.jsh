// exercise: 12-soft-moe
// expect: FAILED
// Softmax written as exp(L) / sum exp(L) without subtracting the maximum: exp(1000) overflows to
// infinity and the weights become NaN.
NDList softMoe(NDArray x, NDArray phi, List<UnaryOperator<NDArray>> experts) {
    NDArray logits = x.matMul(phi);
    NDArray e = logits.exp();
    NDArray dispatch = e.div(e.sum(new int[] {0}, true));
    NDArray combine = e.div(e.sum(new int[] {1}, true));
    NDArray slots = dispatch.transpose().matMul(x);
    long p = phi.getShape().get(1) / experts.size();
    NDList outputs = new NDList();
    for (int j = 0; j < experts.size(); j++) {
        outputs.add(experts.get(j).apply(slots.get((j * p) + ":" + ((j + 1) * p))));
    }
    NDArray slotOutputs = outputs.size() == 1 ? outputs.head() : NDArrays.concat(outputs);
    return new NDList(dispatch, combine, combine.matMul(slotOutputs));
}
