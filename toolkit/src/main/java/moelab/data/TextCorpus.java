package moelab.data;

import ai.djl.training.dataset.Dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A text corpus for character-level language modelling: token ids of a train, a validation and a
 * test split, and the {@link Vocabulary} that made them.
 *
 * <p>Sources: the King James Bible ({@link #kjv}), any UTF-8 text file ({@link #fromFile}),
 * WikiText-103 raw ({@link #wikiText103}). A single text is split contiguously, 90% / 5% / 5%
 * (train first); WikiText-103 comes with its own split. {@link #windows} turns a split into a DJL
 * dataset of (B, T) input ids and (B, T) next-token targets.
 */
public final class TextCorpus {

    /** Fraction of a single text used for training; validation and test get half the rest each. */
    public static final double TRAIN_FRACTION = 0.90;

    /** How to get WikiText-103. */
    public static final String WIKITEXT_HOW_TO_FETCH =
            "datasets/fetch wikitext103  (downloads wikitext-103-raw-v1.zip, 183 MB, into"
                    + " ~/.moelab/datasets/wikitext103)";

    private final String name;
    private final Vocabulary vocabulary;
    private final TokenSequence train;
    private final TokenSequence validation;
    private final TokenSequence test;

    private TextCorpus(
            String name, Vocabulary vocabulary, TokenSequence train, TokenSequence validation, TokenSequence test) {
        this.name = name;
        this.vocabulary = vocabulary;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /**
     * Splits one text 90/5/5 contiguously.
     *
     * @param name a name for reports
     * @param text the whole text
     * @param level byte- or character-level tokens
     * @return the corpus
     */
    public static TextCorpus of(String name, String text, Vocabulary.Level level) {
        if (level == Vocabulary.Level.BYTE) {
            return ofBytes(name, text.getBytes(StandardCharsets.UTF_8));
        }
        CharVocabulary vocabulary = CharVocabulary.of(text);
        return split(name, vocabulary, TokenSequence.of(vocabulary.encode(text)));
    }

    /**
     * Splits raw bytes 90/5/5 contiguously, one token per byte.
     *
     * @param name a name for reports
     * @param bytes the text's bytes
     * @return the corpus with a {@link ByteVocabulary}
     */
    public static TextCorpus ofBytes(String name, byte[] bytes) {
        return split(name, ByteVocabulary.INSTANCE, TokenSequence.ofBytes(bytes));
    }

    private static TextCorpus split(String name, Vocabulary vocabulary, TokenSequence all) {
        int n = all.length();
        int trainEnd = (int) Math.round(n * TRAIN_FRACTION);
        int validEnd = trainEnd + (n - trainEnd) / 2;
        return new TextCorpus(
                name, vocabulary, all.slice(0, trainEnd), all.slice(trainEnd, validEnd), all.slice(validEnd, n));
    }

    /**
     * Uses three given splits.
     *
     * @param name a name for reports
     * @param train training text
     * @param validation validation text
     * @param test test text
     * @param level byte- or character-level tokens; a character vocabulary covers all three
     * @return the corpus
     */
    public static TextCorpus ofSplits(
            String name, String train, String validation, String test, Vocabulary.Level level) {
        Vocabulary vocabulary =
                level == Vocabulary.Level.BYTE ? ByteVocabulary.INSTANCE : CharVocabulary.of(train, validation, test);
        return new TextCorpus(
                name,
                vocabulary,
                TokenSequence.of(vocabulary.encode(train)),
                TokenSequence.of(vocabulary.encode(validation)),
                TokenSequence.of(vocabulary.encode(test)));
    }

    /**
     * The King James Bible (see {@link KingJamesBible}), split 90/5/5.
     *
     * @param level byte- or character-level tokens
     * @return the corpus
     */
    public static TextCorpus kjv(Vocabulary.Level level) {
        return of("kjv", KingJamesBible.text(), level);
    }

    /**
     * A UTF-8 text file, split 90/5/5.
     *
     * @param file the file
     * @param level byte- or character-level tokens
     * @return the corpus
     * @throws DatasetException when the file is missing or unreadable
     */
    public static TextCorpus fromFile(Path file, Vocabulary.Level level) {
        String fix = "pass an existing UTF-8 text file (--data-dir FILE)";
        if (!Files.isRegularFile(file)) {
            throw DatasetException.missing("Text file", List.of(file), "a UTF-8 text file", fix);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            if (level == Vocabulary.Level.BYTE) {
                return ofBytes(name, bytes);
            }
            return of(name, new String(bytes, StandardCharsets.UTF_8), level);
        } catch (IOException e) {
            throw DatasetException.corrupt("Text file", file, e.getMessage(), fix, e);
        }
    }

    /**
     * WikiText-103 raw (Merity et al., 2016): {@code wiki.train.raw}, {@code wiki.valid.raw},
     * {@code wiki.test.raw}, in the directory or its {@code wikitext-103-raw} subfolder.
     *
     * @param dir the directory, or {@code null} for {@code ~/.moelab/datasets/wikitext103}
     * @param level byte- or character-level tokens (bytes suit its 540 MB training text)
     * @return the corpus with WikiText's own split
     * @throws DatasetException when the files are missing
     */
    public static TextCorpus wikiText103(Path dir, Vocabulary.Level level) {
        Path located =
                DatasetHome.locate(
                        "WikiText-103",
                        dir,
                        List.of(DatasetHome.of("wikitext103")),
                        d -> wikiTextDir(d) != null,
                        "wiki.train.raw, wiki.valid.raw, wiki.test.raw (directly or in wikitext-103-raw/)",
                        WIKITEXT_HOW_TO_FETCH);
        Path files = wikiTextDir(located);
        byte[][] splits = new byte[3][];
        String[] names = {"wiki.train.raw", "wiki.valid.raw", "wiki.test.raw"};
        for (int i = 0; i < 3; i++) {
            Path file = files.resolve(names[i]);
            try {
                splits[i] = Files.readAllBytes(file);
            } catch (IOException e) {
                throw DatasetException.corrupt("WikiText-103", file, e.getMessage(), WIKITEXT_HOW_TO_FETCH, e);
            }
            if (splits[i].length == 0) {
                throw DatasetException.corrupt(
                        "WikiText-103", file, "the file is empty", WIKITEXT_HOW_TO_FETCH, null);
            }
        }
        if (level == Vocabulary.Level.BYTE) {
            return new TextCorpus(
                    "wikitext103",
                    ByteVocabulary.INSTANCE,
                    TokenSequence.ofBytes(splits[0]),
                    TokenSequence.ofBytes(splits[1]),
                    TokenSequence.ofBytes(splits[2]));
        }
        return ofSplits(
                "wikitext103",
                new String(splits[0], StandardCharsets.UTF_8),
                new String(splits[1], StandardCharsets.UTF_8),
                new String(splits[2], StandardCharsets.UTF_8),
                level);
    }

    private static Path wikiTextDir(Path dir) {
        for (Path candidate : List.of(dir, dir.resolve("wikitext-103-raw"))) {
            if (Files.isRegularFile(candidate.resolve("wiki.train.raw"))
                    && Files.isRegularFile(candidate.resolve("wiki.valid.raw"))
                    && Files.isRegularFile(candidate.resolve("wiki.test.raw"))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Returns the name of the corpus.
     *
     * @return e.g. "kjv"
     */
    public String name() {
        return name;
    }

    /**
     * Returns the vocabulary.
     *
     * @return byte- or character-level vocabulary
     */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * Returns the token ids of one split.
     *
     * @param usage TRAIN, VALIDATION or TEST
     * @return the split's tokens
     */
    public TokenSequence tokens(Dataset.Usage usage) {
        switch (usage) {
            case TRAIN:
                return train;
            case VALIDATION:
                return validation;
            default:
                return test;
        }
    }

    /**
     * Returns the total number of tokens of the three splits.
     *
     * @return corpus size in tokens
     */
    public long size() {
        return (long) train.length() + validation.length() + test.length();
    }

    /**
     * Makes the next-token dataset of one split: random window offsets for TRAIN, sequential
     * non-overlapping windows otherwise.
     *
     * @param usage the split
     * @param sequenceLength T
     * @param batchSize B
     * @param seed seed of the training offsets
     * @return the dataset of (B, T) inputs and (B, T) targets
     */
    public TokenWindows windows(Dataset.Usage usage, int sequenceLength, int batchSize, long seed) {
        boolean training = usage == Dataset.Usage.TRAIN;
        return TokenWindows.builder()
                .setTokens(tokens(usage))
                .setSequenceLength(sequenceLength)
                .optRandomOffsets(training)
                .optSeed(seed)
                .setSampling(batchSize, training)
                .build();
    }

    /**
     * Describes the corpus size.
     *
     * @return e.g. {@code "kjv: 4,137,850 tokens (train 3,724,065 / valid 206,892 / test 206,893),
     *     byte-level vocabulary (256)"}
     */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "%s: %,d tokens (train %,d / valid %,d / test %,d), %s",
                name, size(), train.length(), validation.length(), test.length(), vocabulary);
    }

    @Override
    public String toString() {
        return summary();
    }

    /**
     * Returns the token ids of a split as text, for a look at the data.
     *
     * @param usage the split
     * @param from first position
     * @param length number of tokens
     * @return the decoded text
     */
    public String text(Dataset.Usage usage, int from, int length) {
        TokenSequence tokens = tokens(usage);
        int[] ids = new int[Math.min(length, tokens.length() - from)];
        tokens.copy(from, ids, 0, ids.length);
        return vocabulary.decode(ids);
    }
}
