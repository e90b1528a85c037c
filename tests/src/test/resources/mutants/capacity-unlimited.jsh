// exercise: 01-capacity
// expect: FAILED
// No capacity limit: every token gets a buffer position, however full its expert is.
int[] bufferPositions(int[] expertOfToken, int numExperts, int capacity) {
    int[] filled = new int[numExperts];
    int[] position = new int[expertOfToken.length];
    for (int t = 0; t < expertOfToken.length; t++) {
        position[t] = filled[expertOfToken[t]]++;
    }
    return position;
}
