package moelab.data;

import ai.djl.training.dataset.Dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-100 (Krizhevsky, 2009): 32×32 colour images in 100 fine classes grouped into 20 coarse
 * superclasses, 50,000 for training ({@code train.bin}) and 10,000 for testing ({@code
 * test.bin}), read from the official binary version ({@code cifar-100-binary}).
 *
 * <p>Each record holds two label bytes, coarse then fine; labels are the fine ones unless {@link
 * Builder#optCoarseLabels(boolean)}. Batches: data float32 (B, 3, 32, 32) normalised with {@link
 * ChannelNormalization#CIFAR100}; labels int32 (B). Training augmentation as for {@link Cifar10}.
 */
public final class Cifar100 extends InMemoryImageDataset {

    /** How to get the files. */
    public static final String HOW_TO_FETCH =
            "datasets/fetch cifar100  (downloads https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
                    + " into ~/.moelab/datasets/cifar100)";

    /** The 100 fine label names, by index (the order of {@code fine_label_names.txt}). */
    public static final List<String> FINE_CLASS_NAMES =
            List.of(
                    "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle",
                    "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel",
                    "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock",
                    "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
                    "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster",
                    "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion",
                    "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse",
                    "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear",
                    "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine",
                    "possum", "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea",
                    "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
                    "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
                    "telephone", "television", "tiger", "tractor", "train", "trout", "tulip",
                    "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    /** The 20 coarse label names, by index (the order of {@code coarse_label_names.txt}). */
    public static final List<String> COARSE_CLASS_NAMES =
            List.of(
                    "aquatic_mammals", "fish", "flowers", "food_containers",
                    "fruit_and_vegetables", "household_electrical_devices",
                    "household_furniture", "insects", "large_carnivores",
                    "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
                    "large_omnivores_and_herbivores", "medium_mammals",
                    "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
                    "vehicles_1", "vehicles_2");

    private static final String NAME = "CIFAR-100";
    private static final String SUBFOLDER = "cifar-100-binary";

    private final boolean coarse;

    private Cifar100(Builder builder) {
        super(builder, ChannelNormalization.CIFAR100);
        this.coarse = builder.coarse;
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
        return coarse ? COARSE_CLASS_NAMES : FINE_CLASS_NAMES;
    }

    @Override
    protected ImageArrays read(Path dataDir, Dataset.Usage usage, long limit) {
        Path dir =
                DatasetHome.locate(
                        NAME,
                        dataDir,
                        List.of(DatasetHome.of("cifar100")),
                        d -> CifarBinary.binDir(d, SUBFOLDER, "test.bin") != null,
                        "train.bin and test.bin (directly or in " + SUBFOLDER + "/)",
                        HOW_TO_FETCH);
        Path bin = CifarBinary.binDir(dir, SUBFOLDER, "test.bin");
        Path file = bin.resolve(usage == Dataset.Usage.TRAIN ? "train.bin" : "test.bin");
        return CifarBinary.read(
                List.of(file), 2, coarse ? 0 : 1, coarse ? 20 : 100, limit, NAME, HOW_TO_FETCH);
    }

    /** Builder for {@link Cifar100}; see {@link InMemoryImageDataset.ImageBuilder}. */
    public static final class Builder extends ImageBuilder<Builder> {

        private boolean coarse;

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Uses the 20 coarse superclass labels instead of the 100 fine ones.
         *
         * @param coarse true for coarse labels
         * @return this builder
         */
        public Builder optCoarseLabels(boolean coarse) {
            this.coarse = coarse;
            return this;
        }

        @Override
        public Cifar100 build() {
            augmentTrainingByDefault(RandomCropFlip.cifar());
            return new Cifar100(this);
        }
    }
}
