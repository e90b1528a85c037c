package moelab.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.transform.CenterCrop;
import ai.djl.modality.cv.transform.ResizeShort;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Images in the ImageNet-style folder layout, one sub-folder per class:
 *
 * <pre>
 * root/train/&lt;class&gt;/*.jpg|jpeg|png
 * root/val/&lt;class&gt;/*.jpg|jpeg|png
 * </pre>
 *
 * <p>Class names are the sorted folder names of {@code train/}; label i is the i-th name (for
 * ImageNet-1k, the sorted WordNet ids n01440764 … give the usual 0..999 labels). Images are read
 * lazily, one per {@link #get}: decoded with DJL's {@link ImageFactory} (javax.imageio), resized
 * so the shorter side is {@code resizeSize} (default {@code imageSize · 256/224}), centre-cropped
 * to {@code imageSize × imageSize} (default 224) and normalised per channel (default the ImageNet
 * statistics). Only the file list is held in memory.
 *
 * <p>Examples: data float32 (3, S, S), label int32 scalar; batches (B, 3, S, S) and (B). The index
 * interleaves the classes (one image of each class in turn), so a {@code optLimit(n)} subset
 * covers all classes evenly.
 */
public final class ImageFolder extends RandomAccessDataset {

    /** How to get ImageNet or a subset. */
    public static final String HOW_TO_FETCH =
            "ImageNet-1k needs a login: download ILSVRC2012 from https://image-net.org, arrange"
                    + " train/ and val/ as <split>/<wnid>/*.JPEG (see datasets/imagenet/README.md)"
                    + " under ~/.moelab/datasets/imagenet or pass --data-dir; for the free 10-class"
                    + " subset run: datasets/fetch imagenette";

    static final String NAME = "ImageFolder";

    private final Path root;
    private final Dataset.Usage usage;
    private final int imageSize;
    private final int resizeSize;
    private final ChannelNormalization normalization;
    private ImageFolderIndex index;

    private ImageFolder(Builder builder) {
        super(builder);
        this.root = builder.root != null ? builder.root : DatasetHome.of("imagenet");
        this.usage = builder.usage;
        this.imageSize = builder.imageSize;
        this.resizeSize =
                builder.resizeSize > 0 ? builder.resizeSize : Math.round(builder.imageSize * 256f / 224);
        this.normalization = builder.normalization;
        if (resizeSize < imageSize) {
            throw new IllegalArgumentException(
                    "resizeSize " + resizeSize + " must be at least imageSize " + imageSize);
        }
    }

    /**
     * Returns a builder; {@code setSampling} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} Lists the class folders and image files; no image is decoded. */
    @Override
    public synchronized void prepare(Progress progress) {
        if (index == null) {
            index = ImageFolderIndex.scan(root, usage == Dataset.Usage.TRAIN ? "train" : "val");
        }
    }

    @Override
    protected long availableSize() {
        prepare(null);
        return index.files().size();
    }

    /**
     * Decodes, resizes, crops and normalises one image.
     *
     * @param manager the manager of the returned arrays
     * @param index the example's index
     * @return data (3, S, S) float32 and label int32 scalar
     * @throws DatasetException when the file cannot be decoded
     */
    @Override
    public Record get(NDManager manager, long index) {
        prepare(null);
        Path file = file(index);
        Image image;
        try {
            image = ImageFactory.getInstance().fromFile(file);
        } catch (IOException | RuntimeException e) {
            throw DatasetException.corrupt(
                    NAME, file, "cannot be decoded as an image (" + e.getMessage() + ")",
                    HOW_TO_FETCH, e);
        }
        NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR); // (H, W, 3) uint8
        NDArray resized = new ResizeShort(resizeSize).transform(hwc); // shorter side = resizeSize
        NDArray cropped = new CenterCrop(imageSize, imageSize).transform(resized); // (S, S, 3)
        NDArray chw = NDImageUtils.toTensor(cropped); // (3, S, S) float in [0, 1]
        NDArray normalized =
                NDImageUtils.normalize(chw, normalization.means(), normalization.stds());
        NDArray label = manager.create(this.index.labels()[(int) index]);
        return new Record(new NDList(normalized), new NDList(label));
    }

    /**
     * Returns the file of one example.
     *
     * @param index the example's index
     * @return its path
     */
    public Path file(long index) {
        prepare(null);
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size() - 1));
        }
        return this.index.files().get((int) index);
    }

    /**
     * Returns the label of one example without decoding it.
     *
     * @param index the example's index
     * @return its class index
     */
    public int label(long index) {
        file(index);
        return this.index.labels()[(int) index];
    }

    /**
     * Returns the class names, indexed by label.
     *
     * @return the sorted folder names of {@code train/}
     */
    public List<String> classNames() {
        prepare(null);
        return index.classNames();
    }

    /**
     * Returns the shape of one example.
     *
     * @return (3, imageSize, imageSize)
     */
    public Shape imageShape() {
        return new Shape(3, imageSize, imageSize);
    }

    /**
     * Returns the dataset root.
     *
     * @return the folder holding {@code train/} and {@code val/}
     */
    public Path root() {
        return root;
    }

    /** Builder for {@link ImageFolder}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private Path root;
        private Dataset.Usage usage = Dataset.Usage.TRAIN;
        private int imageSize = 224;
        private int resizeSize;
        private ChannelNormalization normalization = ChannelNormalization.IMAGENET;

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the folder holding {@code train/} and {@code val/} (default {@code
         * ~/.moelab/datasets/imagenet}).
         *
         * @param root the dataset root
         * @return this builder
         */
        public Builder optRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * Selects the split: TRAIN reads {@code train/}, TEST or VALIDATION read {@code val/}.
         *
         * @param usage the split
         * @return this builder
         */
        public Builder optUsage(Dataset.Usage usage) {
            this.usage = usage;
            return this;
        }

        /**
         * Sets the side S of the square centre crop (default 224).
         *
         * @param imageSize S in pixels
         * @return this builder
         */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets the length of the shorter side after resizing, before the crop (default S·256/224).
         *
         * @param resizeSize pixels, at least S
         * @return this builder
         */
        public Builder optResizeSize(int resizeSize) {
            this.resizeSize = resizeSize;
            return this;
        }

        /**
         * Sets the per-channel normalisation (default {@link ChannelNormalization#IMAGENET}).
         *
         * @param normalization the statistics
         * @return this builder
         */
        public Builder optNormalization(ChannelNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /**
         * Builds the dataset; the folders are listed by {@code prepare()}.
         *
         * @return the dataset
         */
        public ImageFolder build() {
            if (imageSize <= 0) {
                throw new IllegalArgumentException("imageSize must be positive: " + imageSize);
            }
            return new ImageFolder(this);
        }
    }
}
