// exercise: 06-causal-mixing
// expect: FAILED
// Forgets the mask: every position reads the whole sequence, future included.
NDArray causalTokenMixing(NDArray x, NDArray w, NDArray b) {
    int length = (int) x.getShape().get(1);
    return w.matMul(x).add(b.reshape(length, 1));
}
