package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Hash layers routing (Roller et al. 2021): an item goes to the expert given by a fixed random
 * hash of its input token id, with weight 1 and no dropping. Nothing is learned, so nothing can
 * collapse; balance comes from the hash spreading the vocabulary over the experts.
 *
 * <p>On the device: the hash of every id below the largest one seen is tabulated once on the
 * host (it depends on nothing but the id, the seed and E), and each pass looks its items up with
 * one gather. The pass reads three numbers from the device to check the ids (smallest, largest,
 * non-integers) and one more for the dropless capacity ({@link Capacity#dropless}).
 */
public final class HashRouter implements Router {

    /** Token ids must be below this (2^24): the lookup table holds one entry per id. */
    public static final long MAX_TOKEN_ID = 1L << 24;

    private final int seed;
    private int tableExperts;
    private int[] table = new int[0];

    /** @param seed selects the hash function (the same seed always gives the same mapping) */
    public HashRouter(int seed) {
        this.seed = seed;
    }

    /** The expert of token {@code id}: a mixed 32-bit hash of (seed, id) modulo {@code E}. */
    public int expertOf(long id, int experts) {
        int h = (int) (id ^ (id >>> 32)) * 0x9E3779B1 + seed;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, experts);
    }

    @Override
    public Routing route(NDArray logits, NDArray tokenIds, boolean training) {
        int experts = Logits.check(logits);
        int items = Math.toIntExact(logits.getShape().get(0));
        if (tokenIds == null || tokenIds.size() != items) {
            throw new IllegalArgumentException(
                    "hash routing needs the " + items + " input token ids of the routed items; got "
                            + (tokenIds == null ? "none" : tokenIds.getShape().toString())
                            + ". Pass them to the MoE layer as its second input.");
        }
        NDArray ids = tokenIds.reshape(items).toType(DataType.INT64, false);
        int largest = items == 0 ? 0 : checkIds(tokenIds.reshape(items), ids);
        NDArray lookup = logits.getManager().create(table(largest, experts))
                .toDevice(logits.getDevice(), false).toType(DataType.INT64, false);
        NDArray choice = lookup.get(ids).reshape(items, 1); // (T, 1)
        NDArray ones = logits.onesLike().get(":, :1"); // (T, 1)
        NDArray probs = logits.softmax(1);
        return Slots.route(choice, null, ones, 0.0, probs, probs, logits, null);
    }

    /** Refuses negative, too large or fractional ids; returns the largest id. One device read. */
    private static int checkIds(NDArray raw, NDArray ids) {
        NDArray fractional = raw.toType(DataType.FLOAT64, false)
                .neq(ids.toType(DataType.FLOAT64, false)).sum().toType(DataType.INT64, false);
        long[] stats = NDArrays.stack(new NDList(ids.min(), ids.max(), fractional)).toLongArray();
        if (stats[0] < 0 || stats[1] >= MAX_TOKEN_ID || stats[2] > 0) {
            throw new IllegalArgumentException("hash routing needs whole token ids in [0, "
                    + MAX_TOKEN_ID + "), got ids from " + stats[0] + " to " + stats[1]
                    + (stats[2] > 0 ? " and " + stats[2] + " non-integer ids" : "")
                    + ": pass the input token ids, not embeddings or shifted ids");
        }
        return (int) stats[1];
    }

    /** The expert of every id up to {@code largest}, extended and cached across passes. */
    private int[] table(int largest, int experts) {
        if (tableExperts != experts || table.length <= largest) {
            int size = Math.max(largest + 1, tableExperts == experts ? 2 * table.length : 0);
            table = new int[(int) Math.min(size, MAX_TOKEN_ID)];
            for (int id = 0; id < table.length; id++) {
                table[id] = expertOf(id, experts);
            }
            tableExperts = experts;
        }
        return table;
    }
}
