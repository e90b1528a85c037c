// exercise: 02-priority
// expect: FAILED
// Sorts by the top probability in increasing order: the least confident items get the seats.
int[] priorityOrder(NDArray probs) {
    float[] top = probs.max(new int[] {1}).toFloatArray();
    return java.util.stream.IntStream.range(0, top.length).boxed().sorted((a, b) -> Float.compare(top[a], top[b])).mapToInt(Integer::intValue).toArray();
}
