// exercise: 03-moe-forward
// expect: FAILED
// The right numbers, but the combine weights are detached from the graph (stopGradient): the gate
// W_g gets no gradient and would never learn.
NDArray moeForward(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
    Routing routing = router.route(x.matMul(gate), training);
    NDArray buffers = Dispatch.apply(x, routing);
    NDArray outputs = experts.forward(new ParameterStore(x.getManager(), false), new NDList(buffers), training).head();
    Routing detached = new Routing(routing.numExperts(), routing.capacity(), routing.experts(), routing.positions(), routing.weights().stopGradient(), routing.probs(), routing.logits(), routing.loadProbability());
    return Combine.apply(outputs, detached);
}
