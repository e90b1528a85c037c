// exercise: 10-smoe
// expect: FAILED
// Chunk i is mixed by expert (i+1) mod E: the experts' weights are rolled by one.
NDArray smoe(NDArray x, NDArray w, NDArray b) {
    long batch = x.getShape().get(0), length = x.getShape().get(1), d = x.getShape().get(2);
    long experts = w.getShape().get(0), chunk = d / experts;
    NDManager m = x.getManager();
    NDArray mask = m.arange((int) length).reshape(1, length).lte(m.arange((int) length).reshape(length, 1)).toType(w.getDataType(), false);
    NDArray rolledW = w.get("1:").concat(w.get(":1"), 0);
    NDArray rolledB = b.get("1:").concat(b.get(":1"), 0);
    NDArray items = x.reshape(batch, length, experts, chunk).transpose(2, 1, 0, 3).reshape(experts, length, batch * chunk);
    NDArray mixed = rolledW.mul(mask).batchMatMul(items).add(rolledB.reshape(experts, length, 1));
    return mixed.reshape(experts, length, batch, chunk).transpose(2, 1, 0, 3).reshape(batch, length, d);
}
