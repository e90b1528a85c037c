package moelab.routing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;

/**
 * The seat of every (item, slot) in its expert's buffer, computed on the device by one stable
 * sort of the assignments by expert: the tensor form of {@link Capacity#assign}. Slots are served
 * slot-major (all first choices, then all second choices, ...), items within a slot in the given
 * order. With {@code N = S·T} assignments {@code a_n} in serving order:
 *
 * <pre>
 *   sorted   = sort(a_n · N + n)                  by expert, then serving order (keys distinct)
 *   start_e  = first sorted row of expert e      scatter at the rows where the expert changes
 *   load_e   = end_e − start_e                   assignments per expert (dropless capacity)
 *   rank_n   = (row of n in sorted) − start_{a_n} earlier assignments to the same expert
 *   position = rank if a_n ≥ 0 and rank &lt; C, else −1
 * </pre>
 *
 * Every tensor has N or E entries: no {@code (N, E)} one-hot. Unused slots (-1) sort after all
 * experts as a spare expert {@code E}.
 */
final class Seats {

    private final NDArray rank;
    private final Supplier<NDArray> loads;

    private Seats(NDArray rank, Supplier<NDArray> loads) {
        this.rank = rank;
        this.loads = loads;
    }

    /**
     * @param choice {@code (T, S)} int64 expert per item and slot, -1 for an unused slot
     * @param order {@code (T)} int64 serving order of the items (a permutation), or null for
     *     batch order
     * @param experts number of experts {@code E}
     */
    static Seats of(NDArray choice, NDArray order, int experts) {
        long items = choice.getShape().get(0);
        long slots = choice.getShape().get(1);
        int n = Math.toIntExact(items * slots);
        NDManager manager = choice.getManager();
        Device device = choice.getDevice();
        if (n == 0) {
            return new Seats(choice, () -> manager.zeros(new Shape(experts), DataType.INT64, device));
        }
        NDArray served = order == null ? choice : choice.get(order); // (T, S), serving order
        NDArray flat = served.transpose().reshape(-1); // (N), slot-major
        NDArray unused = flat.lt(0).toType(DataType.INT64, false);
        NDArray expert = flat.add(unused.mul(experts + 1)); // (N), -1 becomes the spare expert E
        NDArray row = manager.arange(0f, n, 1f, DataType.INT64, device); // (N)
        NDArray sorted = expert.mul(n).add(row).sort(0).mod(n); // (N): assignments by expert
        NDArray group = expert.get(sorted); // (N): expert of each sorted row
        NDArray none = manager.full(new Shape(1), -1, DataType.INT64, device);
        NDArray starts = group.neq(none.concat(group.get(":-1"))); // first row of a run
        NDArray start = atRuns(group, starts, row, experts); // (E + 2)
        NDArray rankSorted = row.sub(start.get(group)); // (N)
        NDArray rank = manager.zeros(new Shape(n), DataType.INT64, device)
                .scatter(sorted, rankSorted, 0) // (N), serving order
                .reshape(slots, items).transpose(); // (T, S), serving order
        if (order != null) {
            rank = rank.get(order.argSort());
        }
        NDArray used = choice.gte(0).toType(DataType.INT64, false);
        Supplier<NDArray> loads = () -> { // end − start of each run, computed only when asked
            NDArray ends = group.neq(group.get("1:").concat(none)); // last row of a run
            return atRuns(group, ends, row.add(1), experts).sub(start).get(":" + experts);
        };
        return new Seats(rank.add(1).mul(used).sub(1), loads);
    }

    /**
     * {@code out[g] = value[i]} for the row i flagged in g's run; groups 0..E (E = unused slots),
     * a spare entry E + 1 takes the unflagged rows; absent groups hold 0.
     */
    private static NDArray atRuns(NDArray group, NDArray flag, NDArray value, int experts) {
        NDArray flagged = flag.toType(DataType.INT64, false);
        NDArray target = group.sub(experts + 1).mul(flagged).add(experts + 1);
        return value.getManager().zeros(new Shape(experts + 2), DataType.INT64, value.getDevice())
                .scatter(target, value, 0);
    }

    /** {@code (E)} int64 assignments per expert, before any capacity limit. */
    NDArray loads() {
        return loads.get();
    }

    /** {@code (T, S)} int64 buffer row per slot of {@code capacity} rows, -1 if dropped or unused. */
    NDArray positions(int capacity) {
        NDArray kept = rank.lt(capacity).toType(DataType.INT64, false);
        return rank.add(1).mul(kept).sub(1);
    }
}
