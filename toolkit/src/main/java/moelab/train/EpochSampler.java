package moelab.train;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The order in which a training epoch visits the examples: a permutation that depends only on the
 * run's seed and the epoch number, cut into full batches (a last incomplete batch is dropped, so
 * every step sees {@code B} examples and an epoch is {@code ⌊N / B⌋} steps).
 *
 * <p>Because the order is a pure function of {@code (seed, epoch)}, a checkpoint only needs the
 * epoch and how many batches of it were done; {@code skipBatches} resumes part-way through. Use it
 * as a DJL {@link Sampler}: {@code dataset.getData(manager, new EpochSampler(...))}.
 */
public final class EpochSampler implements Sampler {

    private final long seed;
    private final int epoch;
    private final int batchSize;
    private final int skipBatches;

    /**
     * @param seed the run's seed
     * @param epoch 0-based epoch
     * @param batchSize {@code B >= 1}
     * @param skipBatches batches of this epoch already done
     */
    public EpochSampler(long seed, int epoch, int batchSize, int skipBatches) {
        if (batchSize < 1 || epoch < 0 || skipBatches < 0) {
            throw new IllegalArgumentException("need batch size >= 1, epoch >= 0, skip >= 0; got "
                    + batchSize + ", " + epoch + ", " + skipBatches);
        }
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.skipBatches = skipBatches;
    }

    /**
     * The permutation of {@code 0 .. size-1} used in epoch {@code epoch} (Fisher–Yates with a
     * generator seeded by {@code (seed, epoch)}).
     */
    public static long[] order(long seed, int epoch, int size) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Full batches of {@code batchSize} in a dataset of {@code size} examples. */
    public static int batchesPerEpoch(long size, int batchSize) {
        return (int) (size / batchSize);
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        long size = dataset.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset too large to permute: " + size);
        }
        long[] order = order(seed, epoch, (int) size);
        int batches = batchesPerEpoch(size, batchSize);
        return new Iterator<>() {
            private int next = skipBatches;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Long> batch = new ArrayList<>(batchSize);
                for (int i = next * batchSize; i < (next + 1) * batchSize; i++) {
                    batch.add(order[i]);
                }
                next++;
                return batch;
            }
        };
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
