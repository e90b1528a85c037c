// exercise: 10-exact-assignment
// expect: FAILED
// Greedy balanced assignment passed off as optimal: (token, expert) pairs from the highest score
// down, taken while the token is free and the expert has room. Balanced, but not the best total.
int[] balancedAssignment(float[][] scores) {
    int n = scores.length, experts = scores[0].length, perExpert = n / experts;
    Integer[] pairs = new Integer[n * experts];
    for (int i = 0; i < pairs.length; i++) pairs[i] = i;
    Arrays.sort(pairs, (a, b) -> Float.compare(scores[b / experts][b % experts], scores[a / experts][a % experts]));
    int[] expert = new int[n];
    Arrays.fill(expert, -1);
    int[] filled = new int[experts];
    for (int pair : pairs) {
        int t = pair / experts, e = pair % experts;
        if (expert[t] < 0 && filled[e] < perExpert) { expert[t] = e; filled[e]++; }
    }
    return expert;
}
