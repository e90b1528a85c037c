package moelab.data;

import ai.djl.training.dataset.Dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky, 2009): 32×32 colour images in 10 classes, 50,000 for training
 * ({@code data_batch_1.bin} … {@code data_batch_5.bin}) and 10,000 for testing ({@code
 * test_batch.bin}), read from the official binary version ({@code cifar-10-batches-bin}).
 *
 * <p>Batches: data float32 (B, 3, 32, 32) normalised per channel with the training-set statistics
 * {@link ChannelNormalization#CIFAR10}; labels int32 (B). The training split is augmented by
 * default with {@link RandomCropFlip#cifar()} (4-pixel zero padding, random 32×32 crop, random
 * horizontal flip), deterministic under {@code optSeed}; the test split is not.
 *
 * <p>Files are looked for in the given directory (or its {@code cifar-10-batches-bin}
 * subfolder), else in {@code ~/.moelab/datasets/cifar10}.
 */
public final class Cifar10 extends InMemoryImageDataset {

    /** How to get the files. */
    public static final String HOW_TO_FETCH =
            "datasets/fetch cifar10  (downloads https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
                    + " into ~/.moelab/datasets/cifar10)";

    /** The label names, by index. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "airplane", "automobile", "bird", "cat", "deer",
                    "dog", "frog", "horse", "ship", "truck");

    private static final String NAME = "CIFAR-10";
    private static final String SUBFOLDER = "cifar-10-batches-bin";

    private Cifar10(Builder builder) {
        super(builder, ChannelNormalization.CIFAR10);
    }

    /**
     * Returns a builder; {@code setSampling} is required. Training augmentation is on unless
     * {@code optAugmentation(null)} is called.
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
        Path dir =
                DatasetHome.locate(
                        NAME,
                        dataDir,
                        List.of(DatasetHome.of("cifar10")),
                        d -> CifarBinary.binDir(d, SUBFOLDER, "test_batch.bin") != null,
                        "data_batch_1.bin .. data_batch_5.bin and test_batch.bin (directly or in "
                                + SUBFOLDER + "/)",
                        HOW_TO_FETCH);
        Path bin = CifarBinary.binDir(dir, SUBFOLDER, "test_batch.bin");
        List<Path> files = new ArrayList<>();
        if (usage == Dataset.Usage.TRAIN) {
            for (int i = 1; i <= 5; i++) {
                files.add(bin.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            files.add(bin.resolve("test_batch.bin"));
        }
        return CifarBinary.read(files, 1, 0, 10, limit, NAME, HOW_TO_FETCH);
    }

    /** Builder for {@link Cifar10}; see {@link InMemoryImageDataset.ImageBuilder}. */
    public static final class Builder extends ImageBuilder<Builder> {

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Cifar10 build() {
            augmentTrainingByDefault(RandomCropFlip.cifar());
            return new Cifar10(this);
        }
    }
}
