// exercise: 09-re-representation
// expect: FAILED
// Reshapes (B, S, C') to (B, C', S) instead of transposing: the shapes work out, but patches and
// channels are scrambled before the patch map.
NDArray reRepresent(NDArray x, NDArray wc, NDArray bc, NDArray ws, NDArray bs) {
    Shape shape = x.getShape();
    if (shape.dimension() != 3 || wc.getShape().dimension() != 2 || ws.getShape().dimension() != 2
            || wc.getShape().get(0) != shape.get(2) || ws.getShape().get(0) != shape.get(1)) {
        throw new IllegalArgumentException("shapes do not fit: x " + shape);
    }
    long b = shape.get(0), s = shape.get(1), c2 = wc.getShape().get(1), s2 = ws.getShape().get(1);
    NDArray z = x.matMul(wc).add(bc);                      // (B, S, C')
    NDArray y = z.reshape(b, c2, s).matMul(ws).add(bs);    // wrong: a reshape is not a transpose
    return y.reshape(b, s2, c2);
}
