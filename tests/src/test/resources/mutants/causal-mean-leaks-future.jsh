// exercise: 01-causal-mean
// expect: FAILED
// Off by one: row t averages tokens 0..t+1, so every token sees the next one.
NDArray causalMean(NDArray x) {
    long t = x.getShape().get(0);
    NDManager m = x.getManager();
    NDArray row = m.arange(t).reshape(t, 1);
    NDArray col = m.arange(t).reshape(1, t);
    NDArray lower = col.lte(row.add(1)).toType(x.getDataType(), false);
    return lower.div(lower.sum(new int[] {1}, true)).matMul(x);
}
