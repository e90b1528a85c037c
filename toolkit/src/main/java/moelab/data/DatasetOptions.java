package moelab.data;

import java.nio.file.Path;

/**
 * The knobs the CLI and notebooks pass to {@link Datasets#byName}.
 *
 * @param dataDir where the dataset lives ({@code --data-dir}); {@code null} for the default places
 *     (a file for the "text" dataset)
 * @param batchSize B
 * @param limit the largest number of examples per split (smoke runs); {@code Long.MAX_VALUE} for
 *     all
 * @param seed seed of augmentation draws and training window offsets
 * @param augment whether the training split of CIFAR is randomly cropped and flipped
 * @param imageSize side of the centre crop for ImageFolder datasets
 * @param sequenceLength T for text datasets
 * @param vocabulary byte- or character-level tokens for text datasets
 */
public record DatasetOptions(
        Path dataDir,
        int batchSize,
        long limit,
        long seed,
        boolean augment,
        int imageSize,
        int sequenceLength,
        Vocabulary.Level vocabulary) {

    /** Checks the values. */
    public DatasetOptions {
        if (batchSize <= 0 || limit <= 0 || imageSize <= 0 || sequenceLength <= 0) {
            throw new IllegalArgumentException(
                    "batchSize, limit, imageSize and sequenceLength must be positive");
        }
        if (vocabulary == null) {
            throw new IllegalArgumentException("vocabulary level is required");
        }
    }

    /**
     * Returns the defaults: default places, B = 64, no limit, seed 42, augmentation on, 224-pixel
     * crops, T = 128, byte-level vocabulary.
     *
     * @return the default options
     */
    public static DatasetOptions defaults() {
        return new DatasetOptions(null, 64, Long.MAX_VALUE, 42, true, 224, 128, Vocabulary.Level.BYTE);
    }

    /**
     * Returns a copy with another data directory.
     *
     * @param dir the directory (or text file), or {@code null}
     * @return the new options
     */
    public DatasetOptions withDataDir(Path dir) {
        return new DatasetOptions(dir, batchSize, limit, seed, augment, imageSize, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with another batch size.
     *
     * @param size B
     * @return the new options
     */
    public DatasetOptions withBatchSize(int size) {
        return new DatasetOptions(dataDir, size, limit, seed, augment, imageSize, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with another example limit.
     *
     * @param max examples per split
     * @return the new options
     */
    public DatasetOptions withLimit(long max) {
        return new DatasetOptions(dataDir, batchSize, max, seed, augment, imageSize, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param value the seed
     * @return the new options
     */
    public DatasetOptions withSeed(long value) {
        return new DatasetOptions(dataDir, batchSize, limit, value, augment, imageSize, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with augmentation on or off.
     *
     * @param on whether to augment training images
     * @return the new options
     */
    public DatasetOptions withAugment(boolean on) {
        return new DatasetOptions(dataDir, batchSize, limit, seed, on, imageSize, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with another crop size.
     *
     * @param size S
     * @return the new options
     */
    public DatasetOptions withImageSize(int size) {
        return new DatasetOptions(dataDir, batchSize, limit, seed, augment, size, sequenceLength, vocabulary);
    }

    /**
     * Returns a copy with another window length.
     *
     * @param length T
     * @return the new options
     */
    public DatasetOptions withSequenceLength(int length) {
        return new DatasetOptions(dataDir, batchSize, limit, seed, augment, imageSize, length, vocabulary);
    }

    /**
     * Returns a copy with another vocabulary level.
     *
     * @param level BYTE or CHAR
     * @return the new options
     */
    public DatasetOptions withVocabulary(Vocabulary.Level level) {
        return new DatasetOptions(dataDir, batchSize, limit, seed, augment, imageSize, sequenceLength, level);
    }
}
