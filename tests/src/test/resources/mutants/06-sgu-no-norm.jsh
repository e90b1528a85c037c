// exercise: 06-sgu
// expect: FAILED
// Skips the LayerNorm of v: the gate mixes the raw second half, so its scale follows the input's.
NDArray spatialGating(NDArray z, NDArray w, NDArray b) {
    long f = z.getShape().get(2) / 2;
    int length = (int) z.getShape().get(1);
    NDArray u = z.get(":, :, :" + f);
    NDArray v = z.get(":, :, " + f + ":");
    NDManager m = z.getManager();
    NDArray row = m.arange(length).reshape(length, 1);
    NDArray column = m.arange(length).reshape(1, length);
    NDArray masked = w.mul(column.lte(row).toType(w.getDataType(), false));
    return u.mul(masked.matMul(v).add(b.reshape(length, 1)));
}
