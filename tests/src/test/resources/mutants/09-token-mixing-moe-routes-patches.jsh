// exercise: 09-token-mixing-moe
// expect: FAILED
// Routes each patch's row of channels (as MoE_c does) instead of each channel's column of patches:
// on a square grid the shapes still fit, but the items are the wrong vectors.
NDArray tokenMixingMoe(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
    Shape shape = x.getShape();
    long batch = shape.get(0), patches = shape.get(1), channels = shape.get(2);
    NDArray items = x.reshape(batch * patches, channels);
    Routing routing = router.route(items.matMul(gate), training);
    NDArray buffers = Dispatch.apply(items, routing);
    NDArray outputs = experts.forward(new ParameterStore(x.getManager(), false), new NDList(buffers), training).head();
    return Combine.apply(outputs, routing).reshape(batch, patches, channels);
}
