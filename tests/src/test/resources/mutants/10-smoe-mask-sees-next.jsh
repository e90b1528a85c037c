// exercise: 10-smoe
// expect: FAILED
// The mask is off by one: position t also reads position t+1, one step into the future.
NDArray smoe(NDArray x, NDArray w, NDArray b) {
    long batch = x.getShape().get(0), length = x.getShape().get(1), d = x.getShape().get(2);
    long experts = w.getShape().get(0), chunk = d / experts;
    NDManager m = x.getManager();
    NDArray mask = m.arange((int) length).reshape(1, length).lte(m.arange((int) length).reshape(length, 1).add(1)).toType(w.getDataType(), false);
    NDArray items = x.reshape(batch, length, experts, chunk).transpose(2, 1, 0, 3).reshape(experts, length, batch * chunk);
    NDArray mixed = w.mul(mask).batchMatMul(items).add(b.reshape(experts, length, 1));
    return mixed.reshape(experts, length, batch, chunk).transpose(2, 1, 0, 3).reshape(batch, length, d);
}
