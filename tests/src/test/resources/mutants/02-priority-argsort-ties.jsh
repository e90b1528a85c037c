// exercise: 02-priority
// expect: FAILED
// Sorts by the top probability with argSort, which does not keep ties in index order.
int[] priorityOrder(NDArray probs) {
    long[] order = probs.max(new int[] {1}).argSort(0, false).toLongArray();
    return java.util.Arrays.stream(order).mapToInt(v -> (int) v).toArray();
}
