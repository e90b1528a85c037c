package moelab.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Looks datasets up by name, for the CLI's {@code --dataset NAME --data-dir DIR} and for notebooks.
 *
 * <table>
 *   <caption>Registered datasets</caption>
 *   <tr><th>name</th><th>class</th><th>example</th><th>default place</th></tr>
 *   <tr><td>fashion-mnist</td><td>{@link FashionMnist}</td><td>(1, 28, 28), 10 classes</td>
 *       <td>/usr/share/datasets/fashion-mnist, ~/.moelab/datasets/fashion-mnist</td></tr>
 *   <tr><td>cifar10</td><td>{@link Cifar10}</td><td>(3, 32, 32), 10 classes</td>
 *       <td>~/.moelab/datasets/cifar10</td></tr>
 *   <tr><td>cifar100</td><td>{@link Cifar100}</td><td>(3, 32, 32), 100 classes</td>
 *       <td>~/.moelab/datasets/cifar100</td></tr>
 *   <tr><td>imagenet</td><td>{@link ImageFolder}</td><td>(3, S, S), one class per folder</td>
 *       <td>~/.moelab/datasets/imagenet</td></tr>
 *   <tr><td>imagenette</td><td>{@link ImageFolder}</td><td>(3, S, S), 10 classes</td>
 *       <td>~/.moelab/datasets/imagenette</td></tr>
 *   <tr><td>kjv</td><td>{@link TextCorpus#kjv}</td><td>(T) token ids</td>
 *       <td>the {@code bible} command</td></tr>
 *   <tr><td>wikitext103</td><td>{@link TextCorpus#wikiText103}</td><td>(T) token ids</td>
 *       <td>~/.moelab/datasets/wikitext103</td></tr>
 *   <tr><td>text</td><td>{@link TextCorpus#fromFile}</td><td>(T) token ids</td>
 *       <td>the file given as data dir</td></tr>
 * </table>
 */
public final class Datasets {

    /** The registered names. */
    public static final List<String> NAMES =
            List.of("fashion-mnist", "cifar10", "cifar100", "imagenet", "imagenette", "kjv", "wikitext103", "text");

    private Datasets() {}

    /**
     * Loads a dataset's splits (files are read, or for ImageFolder listed, right away, so a missing
     * dataset fails here with a message that says how to fetch it).
     *
     * @param name one of {@link #NAMES}, case-insensitive
     * @param options directory, batch size, limit, seed and the dataset-specific knobs
     * @return the prepared splits
     * @throws IllegalArgumentException for an unknown name
     * @throws DatasetException when the dataset is missing or corrupt
     */
    public static DataSplits byName(String name, DatasetOptions options) {
        String key = name.toLowerCase(Locale.ROOT).replace("_", "-");
        switch (key) {
            case "fashion-mnist":
            case "fashionmnist":
                return images("fashion-mnist", FashionMnist::builder, RandomCropFlip.fashionMnist(),
                        options);
            case "cifar10":
            case "cifar-10":
                return images("cifar10", Cifar10::builder, RandomCropFlip.cifar(), options);
            case "cifar100":
            case "cifar-100":
                return images("cifar100", Cifar100::builder, RandomCropFlip.cifar(), options);
            case "imagenet":
            case "imagenette":
                return folder(key, options);
            case "kjv":
                return text(TextCorpus.kjv(options.vocabulary()), options);
            case "wikitext103":
            case "wikitext-103":
                return text(TextCorpus.wikiText103(options.dataDir(), options.vocabulary()), options);
            case "text":
                if (options.dataDir() == null) {
                    throw new IllegalArgumentException("the text dataset needs a file: --data-dir FILE");
                }
                return text(TextCorpus.fromFile(options.dataDir(), options.vocabulary()), options);
            default:
                throw new IllegalArgumentException(
                        "unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }

    /** Train and test split of an in-memory image dataset; {@code augmentation} for training, if on. */
    private static DataSplits images(String name, Supplier<InMemoryImageDataset.ImageBuilder<?>> builder,
            RandomCropFlip augmentation, DatasetOptions o) {
        InMemoryImageDataset train =
                imageSplit(builder.get(), Dataset.Usage.TRAIN, o.augment() ? augmentation : null, o);
        InMemoryImageDataset test = imageSplit(builder.get(), Dataset.Usage.TEST, null, o);
        train.prepare(null);
        test.prepare(null);
        String summary = String.format(
                Locale.ROOT, "%s: train %,d / test %,d images of %s, %d classes",
                name, train.size(), test.size(), train.imageShape(), train.classNames().size());
        return new DataSplits(
                name, DataSplits.Task.IMAGE_CLASSIFICATION, train, test, test,
                train.imageShape(), train.classNames().size(), train.classNames(), Optional.empty(), summary);
    }

    private static InMemoryImageDataset imageSplit(InMemoryImageDataset.ImageBuilder<?> builder,
            Dataset.Usage usage, RandomCropFlip augmentation, DatasetOptions o) {
        return builder
                .optDataDir(o.dataDir())
                .optUsage(usage)
                .optSeed(o.seed())
                .optAugmentation(augmentation)
                .optLimit(o.limit())
                .setSampling(o.batchSize(), usage == Dataset.Usage.TRAIN)
                .build();
    }

    private static DataSplits folder(String name, DatasetOptions o) {
        Path root = o.dataDir() != null ? o.dataDir() : DatasetHome.of(name);
        ImageFolder train = folderSplit(root, Dataset.Usage.TRAIN, o);
        ImageFolder val = folderSplit(root, Dataset.Usage.VALIDATION, o);
        String summary = String.format(
                Locale.ROOT, "%s (%s): train %,d / val %,d images, cropped to %s, %d classes",
                name, root, train.size(), val.size(), train.imageShape(), train.classNames().size());
        return new DataSplits(
                name, DataSplits.Task.IMAGE_CLASSIFICATION, train, val, val,
                train.imageShape(), train.classNames().size(), train.classNames(), Optional.empty(), summary);
    }

    private static ImageFolder folderSplit(Path root, Dataset.Usage usage, DatasetOptions o) {
        ImageFolder split = ImageFolder.builder()
                .optRoot(root)
                .optUsage(usage)
                .optImageSize(o.imageSize())
                .optLimit(o.limit())
                .setSampling(o.batchSize(), usage == Dataset.Usage.TRAIN)
                .build();
        split.prepare(null);
        return split;
    }

    private static DataSplits text(TextCorpus corpus, DatasetOptions o) {
        RandomAccessDataset train = windows(corpus, Dataset.Usage.TRAIN, o);
        RandomAccessDataset valid = windows(corpus, Dataset.Usage.VALIDATION, o);
        RandomAccessDataset test = windows(corpus, Dataset.Usage.TEST, o);
        return new DataSplits(
                corpus.name(), DataSplits.Task.LANGUAGE_MODELLING, train, valid, test,
                new Shape(o.sequenceLength()), corpus.vocabulary().size(), List.of(),
                Optional.of(corpus.vocabulary()), corpus.summary());
    }

    private static TokenWindows windows(TextCorpus corpus, Dataset.Usage usage, DatasetOptions o) {
        boolean train = usage == Dataset.Usage.TRAIN;
        return TokenWindows.builder()
                .setTokens(corpus.tokens(usage))
                .setSequenceLength(o.sequenceLength())
                .optRandomOffsets(train)
                .optSeed(o.seed())
                .optLimit(o.limit())
                .setSampling(o.batchSize(), train)
                .build();
    }
}
