// exercise: 12-soft-moe
// expect: FAILED
// Dispatch weights normalised over the slots (axis 1) instead of over the tokens.
NDList softMoe(NDArray x, NDArray phi, List<UnaryOperator<NDArray>> experts) {
    NDArray logits = x.matMul(phi);
    NDArray dispatch = logits.softmax(1);
    NDArray combine = logits.softmax(1);
    NDArray slots = dispatch.transpose().matMul(x);
    long p = phi.getShape().get(1) / experts.size();
    NDList outputs = new NDList();
    for (int j = 0; j < experts.size(); j++) {
        outputs.add(experts.get(j).apply(slots.get((j * p) + ":" + ((j + 1) * p))));
    }
    NDArray slotOutputs = outputs.size() == 1 ? outputs.head() : NDArrays.concat(outputs);
    return new NDList(dispatch, combine, combine.matMul(slotOutputs));
}
