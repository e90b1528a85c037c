package moelab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * An {@link ArrayDataset} whose batches are built from example indices by
 * {@link #getByIndices(NDManager, long...)}, the one method a subclass writes: DJL's bulk iterator
 * asks for {@link #getByRange}, and {@link #get} is a batch of one. Each {@code getData} call first
 * prepares the data, then starts a new epoch, so per-example random draws can depend on (seed,
 * {@link #epoch()}, index) only (see {@link ExampleRandom}).
 */
abstract class IndexedDataset extends ArrayDataset {

    private volatile long epoch = -1;

    IndexedDataset(BaseBuilder<?> builder) {
        super(builder);
    }

    /**
     * Builds the batch of the given examples.
     *
     * @param manager the manager to create the arrays on
     * @param indices the examples, in batch order
     * @return data and labels, each with a leading batch axis {@code B = indices.length}
     */
    @Override
    public abstract Batch getByIndices(NDManager manager, long... indices);

    /** {@inheritDoc} The examples {@code fromIndex .. toIndex-1}, by {@link #getByIndices}. */
    @Override
    public Batch getByRange(NDManager manager, long fromIndex, long toIndex) {
        long[] indices = new long[Math.toIntExact(toIndex - fromIndex)];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = fromIndex + i;
        }
        return getByIndices(manager, indices);
    }

    /** {@inheritDoc} A batch of one with the batch axis squeezed away. */
    @Override
    public Record get(NDManager manager, long index) {
        Batch batch = getByIndices(manager, index);
        NDArray data = batch.getData().singletonOrThrow().squeeze(0);
        NDArray label = batch.getLabels().singletonOrThrow().squeeze(0);
        return new Record(new NDList(data), new NDList(label));
    }

    /** {@inheritDoc} Prepares the data, then starts a new epoch of random draws. */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executor)
            throws IOException, TranslateException {
        prepare();
        synchronized (this) {
            epoch++;
        }
        return super.getData(manager, sampler, executor);
    }

    /** The current epoch: 0 before the first {@code getData} call, then one more per call. */
    long epoch() {
        return Math.max(epoch, 0);
    }

    /** Wraps one data and one label array, each {@code (B, ...)}, as a batch of B examples. */
    Batch batch(NDManager manager, NDArray data, NDArray labels, int size) {
        return new Batch(manager, new NDList(data), new NDList(labels), size, dataBatchifier,
                labelBatchifier, 0, 0);
    }

    /**
     * Checks an example index.
     *
     * @throws IndexOutOfBoundsException when it is outside {@code 0 .. size()-1}
     */
    int checkIndex(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size() - 1));
        }
        return (int) index;
    }
}
