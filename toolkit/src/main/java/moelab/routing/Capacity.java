package moelab.routing;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Expert capacity: how many items one expert processes per batch,
 * {@code capacity = ceil(k · T · capacityFactor / E)}, at least 1 and at most {@code T}.
 *
 * <p>A {@code capacityFactor <= 0} means no dropping. A router then sizes the buffers from the
 * batch itself ({@link #dropless}): the largest expert load rounded up to a
 * multiple of {@value #DROPLESS_MULTIPLE} (clamped to {@code T}), so no item is dropped and the
 * experts compute about {@code E · maxLoad} rows instead of {@code E · T}. Sizing from the batch
 * reads one scalar from the device, since the buffer shape depends on it.
 */
public final class Capacity {

    /** Dropless buffers are rounded up to a multiple of this many rows. */
    public static final int DROPLESS_MULTIPLE = 8;

    private Capacity() {}

    /**
     * Capacity from the factor alone.
     *
     * @param k slots per item (experts each item is sent to)
     * @param items number of routed items {@code T}
     * @param capacityFactor slack over a perfectly even split; {@code <= 0} for no dropping, where
     *     this returns the worst case {@code T} (a router uses the batch's largest load instead)
     * @param experts number of experts {@code E}
     * @return rows per expert buffer, at least 1 and at most {@code T}
     * @throws IllegalArgumentException for a NaN or infinite factor, k or E below 1
     */
    public static int of(int k, int items, double capacityFactor, int experts) {
        if (k < 1 || experts < 1 || items < 0) {
            throw new IllegalArgumentException(
                    "capacity needs k >= 1 and E >= 1, got k=" + k + " E=" + experts);
        }
        checkFactor(capacityFactor);
        if (capacityFactor <= 0) {
            return Math.max(items, 1);
        }
        int c = (int) Math.ceil(k * (double) items * capacityFactor / experts);
        return Math.max(1, Math.min(c, items));
    }

    /**
     * Dropless capacity for a batch ({@code capacityFactor <= 0}): the largest expert load rounded
     * up to a multiple of {@value #DROPLESS_MULTIPLE}, clamped to {@code [1, T]}. Reads one scalar
     * from the device.
     *
     * @param loads {@code (E)} int64 assignments per expert
     * @param items number of routed items {@code T}
     */
    public static int dropless(NDArray loads, int items) {
        if (items == 0) {
            return 1;
        }
        long maxLoad = loads.max().getLong();
        long rounded = (maxLoad + DROPLESS_MULTIPLE - 1) / DROPLESS_MULTIPLE * DROPLESS_MULTIPLE;
        return (int) Math.max(1, Math.min(rounded, items));
    }

    /**
     * Refuses a capacity factor that is not a number or infinite; {@code <= 0} (no dropping) and
     * positive values pass.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static void checkFactor(double capacityFactor) {
        if (Double.isNaN(capacityFactor) || Double.isInfinite(capacityFactor)) {
            throw new IllegalArgumentException("capacity factor must be a finite number (<= 0 for "
                    + "no dropping, e.g. 1.25 for 25% slack), got " + capacityFactor);
        }
    }

    /**
     * Gives each (item, slot) a row in its expert's buffer, on the host: the reference rule that
     * routers compute on the device. Slots are served slot-major (all first choices, then all
     * second choices, ...), items within a slot in the given order; an assignment that finds its
     * expert full is dropped.
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
