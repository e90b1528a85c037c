// exercise: 02-assign
// expect: FAILED
// No capacity limit: every assignment gets the next row, however full the expert is.
int[][] assignPositions(int[][] choice, int[] order, int experts, int capacity) {
    int slots = choice.length == 0 ? 0 : choice[0].length;
    int[][] position = new int[choice.length][slots];
    int[] filled = new int[experts];
    for (int s = 0; s < slots; s++) {
        for (int t : order) {
            int e = choice[t][s];
            position[t][s] = e >= 0 ? filled[e]++ : -1;
        }
    }
    return position;
}
