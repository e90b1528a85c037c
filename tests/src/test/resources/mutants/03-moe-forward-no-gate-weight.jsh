// exercise: 03-moe-forward
// expect: FAILED
// Combines without the gate weight (1 for every kept slot): the outputs are wrong and W_g gets no
// gradient, since the weights are the router's only path to the loss.
NDArray moeForward(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
    Routing routing = router.route(x.matMul(gate), training);
    NDArray buffers = Dispatch.apply(x, routing);
    NDArray outputs = experts.forward(new ParameterStore(x.getManager(), false), new NDList(buffers), training).head();
    NDArray ones = routing.weights().gt(0).toType(outputs.getDataType(), false);
    Routing unweighted = new Routing(routing.numExperts(), routing.capacity(), routing.experts(), routing.positions(), ones, routing.probs(), routing.logits(), routing.loadProbability());
    return Combine.apply(outputs, unweighted);
}
