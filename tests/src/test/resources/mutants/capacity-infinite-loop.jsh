// exercise: 01-capacity
// expect: TIMEOUT
// Never returns: the grader must kill the test JVM and carry on.
int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) {
    int t = 0;
    while (t < expertOfToken.length) {
        t = t * 1;
    }
    return new int[0];
}
