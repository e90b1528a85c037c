// exercise: 05-token-mixing
// expect: FAILED
// Reshapes instead of transposing back: the shape is right, but patches and channels are scrambled.
NDArray tokenMixing(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
    NDArray columns = x.transpose(0, 2, 1);
    NDArray hidden = Activation.gelu(columns.matMul(w1).add(b1));
    return hidden.matMul(w2).add(b2).reshape(x.getShape());
}
