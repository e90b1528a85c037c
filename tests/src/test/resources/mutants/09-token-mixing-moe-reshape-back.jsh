// exercise: 09-token-mixing-moe
// expect: FAILED
// Routes the right items but reshapes (B·C', S') straight to (B, S', C') instead of transposing back.
NDArray tokenMixingMoe(NDArray x, NDArray gate, Router router, Experts experts, boolean training) {
    Shape shape = x.getShape();
    long batch = shape.get(0), patches = shape.get(1), channels = shape.get(2);
    NDArray items = x.transpose(0, 2, 1).reshape(batch * channels, patches);
    Routing routing = router.route(items.matMul(gate), training);
    NDArray buffers = Dispatch.apply(items, routing);
    NDArray outputs = experts.forward(new ParameterStore(x.getManager(), false), new NDList(buffers), training).head();
    return Combine.apply(outputs, routing).reshape(shape);
}
