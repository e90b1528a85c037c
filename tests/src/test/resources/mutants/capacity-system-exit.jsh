// exercise: 01-capacity
// expect: FORBIDDEN
// Ends the JVM: the bytecode check must refuse it, and the grader must not die with it.
int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) {
    System.exit(0);
    return null;
}
