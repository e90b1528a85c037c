// exercise: 04-importance
// expect: FAILED
// CV² of the argmax counts instead of the summed probabilities: the value can be right on one-hot
// probabilities, but it is wrong elsewhere and carries no gradient.
NDArray importanceLoss(Routing routing) {
    float[] counts = new float[routing.numExperts()];
    long[] best = routing.probs().argMax(1).toLongArray();
    for (long e : best) {
        counts[(int) e]++;
    }
    NDArray importance = routing.probs().getManager().create(counts);
    NDArray mean = importance.mean();
    return importance.sub(mean).square().mean().div(mean.square());
}
