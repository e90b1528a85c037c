package moelab.data;

import ai.djl.training.dataset.Dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28×28 grey images of clothing in 10 classes,
 * 60,000 for training and 10,000 for testing, read from the four IDX files (gzipped or raw).
 *
 * <p>Batches: data float32 (B, 1, 28, 28) normalised with mean 0.2860 and std 0.3530, labels
 * int32 (B). Files are looked for in the given directory, else in the Debian package's {@code
 * /usr/share/datasets/fashion-mnist}, else in {@code ~/.moelab/datasets/fashion-mnist}.
 *
 * <pre>{@code
 * FashionMnist train = FashionMnist.builder().setSampling(128, true).optLimit(1000).build();
 * train.prepare();
 * }</pre>
 */
public final class FashionMnist extends InMemoryImageDataset {

    /** The directory the Debian package {@code dataset-fashion-mnist} installs. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** How to get the files. */
    public static final String HOW_TO_FETCH =
            "sudo apt-get install dataset-fashion-mnist  (or: datasets/fetch fashion-mnist,"
                    + " which downloads into ~/.moelab/datasets/fashion-mnist)";

    /** The label names, by index. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String NAME = "Fashion-MNIST";

    private FashionMnist(Builder builder) {
        super(builder, ChannelNormalization.FASHION_MNIST);
    }

    /**
     * Returns a builder; {@code setSampling} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    @Override
    protected ImageArrays read(Path dataDir, Dataset.Usage usage, long limit) {
        String prefix = usage == Dataset.Usage.TRAIN ? "train" : "t10k";
        Path dir =
                DatasetHome.locate(
                        NAME,
                        dataDir,
                        List.of(DEBIAN_DIR, DatasetHome.of("fashion-mnist")),
                        d -> find(d, prefix + "-images-idx3-ubyte") != null,
                        prefix + "-images-idx3-ubyte.gz and " + prefix + "-labels-idx1-ubyte.gz",
                        HOW_TO_FETCH);
        Path imageFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelFile = find(dir, prefix + "-labels-idx1-ubyte");
        if (labelFile == null) {
            labelFile = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        }
        IdxFile images = IdxFile.read(imageFile, 3, limit, NAME, HOW_TO_FETCH);
        IdxFile labels = IdxFile.read(labelFile, 1, limit, NAME, HOW_TO_FETCH);
        int[] dims = images.dims();
        if (dims[1] != 28 || dims[2] != 28) {
            throw DatasetException.corrupt(
                    NAME, imageFile,
                    "expected 28x28 images but the header says " + dims[1] + "x" + dims[2],
                    HOW_TO_FETCH, null);
        }
        if (labels.dims()[0] != dims[0]) {
            throw DatasetException.corrupt(
                    NAME, labelFile,
                    "expected " + dims[0] + " labels to match " + imageFile.getFileName()
                            + " but found " + labels.dims()[0],
                    HOW_TO_FETCH, null);
        }
        int[] classes = new int[dims[0]];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.values()[i] & 0xFF;
            if (classes[i] >= CLASS_NAMES.size()) {
                throw DatasetException.corrupt(
                        NAME, labelFile,
                        "label " + classes[i] + " at index " + i + " is not a class index 0..9",
                        HOW_TO_FETCH, null);
            }
        }
        return new ImageArrays(images.values(), classes, 1, 28, 28);
    }

    /** The gzipped file if present, else the raw one, else {@code null}. */
    private static Path find(Path dir, String baseName) {
        for (String name : List.of(baseName + ".gz", baseName)) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    /** Builder for {@link FashionMnist}; see {@link InMemoryImageDataset.ImageBuilder}. */
    public static final class Builder extends ImageBuilder<Builder> {

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public FashionMnist build() {
            return new FashionMnist(this);
        }
    }
}
