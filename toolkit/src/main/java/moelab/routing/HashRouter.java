package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.stream.IntStream;

/**
 * Hash layers routing (Roller et al. 2021): an item goes to the expert given by a fixed random
 * hash of its input token id, with weight 1 and no dropping. Nothing is learned, so nothing can
 * collapse; balance comes from the hash spreading the vocabulary over the experts.
 */
public final class HashRouter implements Router {

    private final int seed;

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
        int items = Math.toIntExact(logits.getShape().get(0));
        int experts = Math.toIntExact(logits.getShape().get(1));
        if (tokenIds == null || tokenIds.size() != items) {
            throw new IllegalArgumentException(
                    "hash routing needs the " + items + " input token ids of the routed items; got "
                            + (tokenIds == null ? "none" : tokenIds.getShape().toString())
                            + ". Pass them to the MoE layer as its second input.");
        }
        long[] ids = tokenIds.toType(DataType.INT64, false).toLongArray();
        int[][] choice = new int[items][1];
        for (int t = 0; t < items; t++) {
            choice[t][0] = expertOf(ids[t], experts);
        }
        int capacity = Capacity.of(1, items, 0, experts);
        int[][] position =
                Capacity.assign(choice, IntStream.range(0, items).toArray(), experts, capacity);
        return new Routing(experts, capacity, choice, position, Slots.keptMask(logits, position),
                logits.softmax(1), logits, null);
    }
}
