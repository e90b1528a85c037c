// exercise: 09-re-representation
// expect: FAILED
// Applies the patch map before the channel map: equal without biases, different with them.
NDArray reRepresent(NDArray x, NDArray wc, NDArray bc, NDArray ws, NDArray bs) {
    Shape shape = x.getShape();
    if (shape.dimension() != 3 || wc.getShape().dimension() != 2 || ws.getShape().dimension() != 2
            || wc.getShape().get(0) != shape.get(2) || ws.getShape().get(0) != shape.get(1)) {
        throw new IllegalArgumentException("shapes do not fit: x " + shape);
    }
    NDArray p = x.transpose(0, 2, 1).matMul(ws).add(bs).transpose(0, 2, 1);   // (B, S', C)
    return p.matMul(wc).add(bc);                                              // (B, S', C')
}
