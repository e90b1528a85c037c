// exercise: 01-capacity
// expect: CRASHED
// Ends the JVM: the grader must report it, not die with it.
int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) {
    System.exit(0);
    return null;
}
