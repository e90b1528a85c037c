package moelab.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.util.Progress;

import java.nio.file.Path;
import java.util.List;

/**
 * An image-classification dataset small enough to keep in memory as 8-bit pixels (Fashion-MNIST,
 * CIFAR).
 *
 * <p>Images stay as bytes (4× smaller than floats); each batch is normalised, and in training
 * optionally augmented, when it is fetched. Batches come from DJL's bulk iterator, so {@code
 * trainer.iterateDataset(ds)} and {@code ds.getData(manager)} yield {@link Batch}es of
 *
 * <ul>
 *   <li>data: one float32 array (B, C, H, W), normalised per channel;
 *   <li>labels: one int32 array (B) of class indices.
 * </ul>
 *
 * <p>{@link #get(NDManager, long)} returns one example, (C, H, W) and a scalar label. Files are read
 * by {@link #prepare(Progress)}, which {@code getData} calls for you. Augmentation draws depend
 * only on (seed, epoch, index), see {@link ExampleRandom}; the epoch advances with every {@code
 * getData} call.
 */
public abstract class InMemoryImageDataset extends IndexedDataset {

    private final Path dataDir;
    private final Dataset.Usage usage;
    private final ChannelNormalization normalization;
    private final RandomCropFlip augmentation;
    private final long seed;
    private ImageArrays images;

    /**
     * Creates the dataset from its builder; nothing is read until {@link #prepare(Progress)}.
     *
     * @param builder the builder with sampling, usage, directory, augmentation and seed
     * @param normalization the per-channel statistics to normalise with
     */
    protected InMemoryImageDataset(ImageBuilder<?> builder, ChannelNormalization normalization) {
        super(builder);
        this.dataDir = builder.dataDir;
        this.usage = builder.usage;
        this.normalization = normalization;
        this.augmentation = builder.augmentation;
        this.seed = builder.seed;
    }

    /**
     * Reads the images of one split from disk.
     *
     * @param dataDir the directory given by the user, or {@code null} for the default places
     * @param usage which split to read
     * @param limit read at most this many images (the first ones)
     * @return the decoded images and labels
     * @throws DatasetException when the files are missing or corrupt
     */
    protected abstract ImageArrays read(Path dataDir, Dataset.Usage usage, long limit);

    /**
     * Returns the class names, indexed by label.
     *
     * @return the names, e.g. "T-shirt/top" for Fashion-MNIST label 0
     */
    public abstract List<String> classNames();

    /** {@inheritDoc} Reads the files once; later calls do nothing. */
    @Override
    public synchronized void prepare(Progress progress) {
        if (images == null) {
            images = read(dataDir, usage, limit);
        }
    }

    @Override
    protected long availableSize() {
        return loaded().size();
    }

    @Override
    public Batch getByIndices(NDManager manager, long... indices) {
        ImageArrays data = loaded();
        int imageSize = data.imageSize();
        int plane = data.height() * data.width();
        byte[] cropped = new byte[imageSize];
        float[] batch = new float[indices.length * imageSize];
        int[] labels = new int[indices.length];
        long currentEpoch = epoch();
        for (int b = 0; b < indices.length; b++) {
            int index = checkIndex(indices[b]);
            byte[] source = data.pixels();
            int offset = index * imageSize;
            if (augmentation != null) {
                RandomCropFlip.Placement placement =
                        augmentation.draw(ExampleRandom.of(seed, currentEpoch, index));
                augmentation.apply(
                        source, offset, data.channels(), data.height(), data.width(),
                        placement, cropped, 0);
                source = cropped;
                offset = 0;
            }
            for (int i = 0; i < imageSize; i++) {
                batch[b * imageSize + i] =
                        normalization.apply(i / plane, source[offset + i] & 0xFF);
            }
            labels[b] = data.labels()[index];
        }
        Shape shape = new Shape(indices.length, data.channels(), data.height(), data.width());
        return batch(manager, manager.create(batch, shape), manager.create(labels), indices.length);
    }

    private ImageArrays loaded() {
        prepare(null);
        return images;
    }

    /**
     * Returns the shape of one example.
     *
     * @return (C, H, W)
     */
    public Shape imageShape() {
        ImageArrays data = loaded();
        return new Shape(data.channels(), data.height(), data.width());
    }

    /**
     * Returns the label of one example without creating arrays.
     *
     * @param index the example's index
     * @return its class index
     */
    public int label(long index) {
        return loaded().labels()[checkIndex(index)];
    }

    /**
     * Returns one raw pixel, before normalisation and augmentation.
     *
     * @param index the example's index
     * @param channel c
     * @param row y
     * @param column x
     * @return the 8-bit value, 0..255
     */
    public int rawPixel(long index, int channel, int row, int column) {
        ImageArrays data = loaded();
        int offset =
                checkIndex(index) * data.imageSize()
                        + (channel * data.height() + row) * data.width()
                        + column;
        return data.pixels()[offset] & 0xFF;
    }

    /**
     * Measures the per-channel statistics of the loaded raw pixels (useful to check the constants).
     *
     * @return mean and standard deviation per channel on the [0, 1] scale
     */
    public ChannelNormalization measureStatistics() {
        ImageArrays data = loaded();
        return ChannelNormalization.measure(
                data.pixels(), data.channels(), data.height() * data.width());
    }

    /**
     * Returns the normalisation applied to every batch.
     *
     * @return the per-channel mean and std
     */
    public ChannelNormalization normalization() {
        return normalization;
    }

    /**
     * Returns which split this dataset holds.
     *
     * @return TRAIN or TEST
     */
    public Dataset.Usage usage() {
        return usage;
    }

    /**
     * Tells whether training-time augmentation is on.
     *
     * @return true when batches are randomly cropped and flipped
     */
    public boolean isAugmented() {
        return augmentation != null;
    }

    /**
     * Builder options shared by the in-memory image datasets.
     *
     * @param <T> the concrete builder
     */
    public abstract static class ImageBuilder<T extends ImageBuilder<T>> extends BaseBuilder<T> {

        Path dataDir;
        Dataset.Usage usage = Dataset.Usage.TRAIN;
        RandomCropFlip augmentation;
        private boolean augmentationSet;
        long seed = 42;

        /**
         * Reads from this directory instead of the default places.
         *
         * @param dataDir the directory holding the dataset's files
         * @return this builder
         */
        public T optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return self();
        }

        /**
         * Selects the split: TRAIN, or TEST (VALIDATION also reads the test split, as these
         * datasets have no separate validation set).
         *
         * @param usage the split
         * @return this builder
         */
        public T optUsage(Dataset.Usage usage) {
            this.usage = usage;
            return self();
        }

        /**
         * Turns training-time augmentation on (a {@link RandomCropFlip}) or off ({@code null}).
         *
         * @param augmentation the augmentation, or {@code null}
         * @return this builder
         */
        public T optAugmentation(RandomCropFlip augmentation) {
            this.augmentation = augmentation;
            augmentationSet = true;
            return self();
        }

        /**
         * Augments the training split with {@code augmentation} unless {@link #optAugmentation}
         * was called; for {@code build()}.
         *
         * @param augmentation the dataset's default training augmentation
         */
        void augmentTrainingByDefault(RandomCropFlip augmentation) {
            if (!augmentationSet && usage == Dataset.Usage.TRAIN) {
                this.augmentation = augmentation;
            }
        }

        /**
         * Sets the seed of the augmentation draws (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public T optSeed(long seed) {
            this.seed = seed;
            return self();
        }

        /**
         * Builds the dataset; files are read by {@code prepare()}.
         *
         * @return the dataset
         */
        public abstract InMemoryImageDataset build();
    }
}
