package moelab.routing;

import java.util.Arrays;

/**
 * Expert capacity: how many items one expert processes per batch,
 * {@code capacity = ceil(k · T · capacityFactor / E)}. A {@code capacityFactor <= 0} means no
 * dropping: every expert can take all {@code T} items.
 */
public final class Capacity {

    private Capacity() {}

    /**
     * @param k slots per item (experts each item is sent to)
     * @param items number of routed items {@code T}
     * @param capacityFactor slack over a perfectly even split; {@code <= 0} disables dropping
     * @param experts number of experts {@code E}
     * @return rows per expert buffer, at least 1 and at most {@code T}
     */
    public static int of(int k, int items, double capacityFactor, int experts) {
        if (k < 1 || experts < 1 || items < 0) {
            throw new IllegalArgumentException(
                    "capacity needs k >= 1 and E >= 1, got k=" + k + " E=" + experts);
        }
        if (capacityFactor <= 0) {
            return Math.max(items, 1);
        }
        int c = (int) Math.ceil(k * (double) items * capacityFactor / experts);
        return Math.max(1, Math.min(c, items));
    }

    /**
     * Gives each (item, slot) a row in its expert's buffer. Slots are served slot-major (all first
     * choices, then all second choices, ...), items within a slot in the given order; an
     * assignment that finds its expert full is dropped.
     *
     * @param choice {@code (T, S)} expert per item and slot, -1 for an unused slot
     * @param order the items in the order they are served (a permutation of 0..T-1)
     * @param experts number of experts {@code E}
     * @param capacity rows per expert buffer
     * @return {@code (T, S)} buffer row per slot, -1 where dropped or unused
     */
    public static int[][] assign(int[][] choice, int[] order, int experts, int capacity) {
        int slots = choice.length == 0 ? 0 : choice[0].length;
        int[][] position = new int[choice.length][slots];
        for (int[] row : position) {
            Arrays.fill(row, -1);
        }
        int[] filled = new int[experts];
        for (int s = 0; s < slots; s++) {
            for (int t : order) {
                int e = choice[t][s];
                if (e >= 0 && filled[e] < capacity) {
                    position[t][s] = filled[e]++;
                }
            }
        }
        return position;
    }
}
