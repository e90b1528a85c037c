package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    /** Tokens 0..99 as characters: easy to read windows off. */
    private static TokenSequence counting(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return TokenSequence.of(ids);
    }

    @Test
    void byteVocabularyRoundTripsAnyText() {
        Vocabulary bytes = ByteVocabulary.INSTANCE;
        assertThat(bytes.size()).isEqualTo(256);
        assertThat(bytes.encode("Ab")).containsExactly(65, 98);
        assertThat(bytes.encode("é")).containsExactly(0xC3, 0xA9);
        assertThat(bytes.decode(bytes.encode("Senjō no Valkyria"))).isEqualTo("Senjō no Valkyria");
    }

    @Test
    void charVocabularyNumbersTheSortedDistinctCharacters() {
        CharVocabulary chars = CharVocabulary.of("banana", "cab");
        assertThat(chars.size()).isEqualTo(4);
        assertThat(chars.encode("abcn")).containsExactly(0, 1, 2, 3);
        assertThat(chars.decode(new int[] {1, 0, 3})).isEqualTo("ban");
        assertThatThrownBy(() -> chars.encode("z")).hasMessageContaining("U+007A");
    }

    @Test
    void singleTextIsSplitContiguously90_5_5() {
        TextCorpus corpus = TextCorpus.fromFile(Samples.of("text/tiny.txt"), Vocabulary.Level.BYTE);
        assertThat(corpus.size()).isEqualTo(2900);
        assertThat(corpus.tokens(Dataset.Usage.TRAIN).length()).isEqualTo(2610);
        assertThat(corpus.tokens(Dataset.Usage.VALIDATION).length()).isEqualTo(145);
        assertThat(corpus.tokens(Dataset.Usage.TEST).length()).isEqualTo(145);
        // line 90 starts at byte 90*29 = 2610: the validation split begins there
        assertThat(corpus.text(Dataset.Usage.VALIDATION, 0, 8)).isEqualTo("line 90:");
        assertThat(corpus.text(Dataset.Usage.TEST, 0, 8)).isEqualTo("line 95:");
        assertThat(corpus.summary()).contains("2,900 tokens", "train 2,610", "byte-level");
    }

    @Test
    void charLevelCorpusHasTheTextsCharacters() {
        TextCorpus corpus = TextCorpus.of("tiny", SampleGenerator.tinyText(), Vocabulary.Level.CHAR);
        // digits 0-9, space, newline, ':' and the letters of "line the quick brown fox"
        assertThat(corpus.vocabulary().size()).isEqualTo(10 + 3 + "linethquickbrownfx".chars().distinct().count());
        assertThat(corpus.text(Dataset.Usage.TRAIN, 0, 10)).isEqualTo("line 00: t");
    }

    @Test
    void evaluationWindowsTileTheTextAndTargetsAreShiftedByOne() {
        TokenWindows windows = TokenWindows.builder()
                .setTokens(counting(30)).setSequenceLength(8).setSampling(2, false).build();
        assertThat(windows.size()).isEqualTo(3); // floor(29 / 8)
        try (NDManager manager = NDManager.newBaseManager()) {
            Record second = windows.get(manager, 1);
            NDArray input = second.getData().singletonOrThrow();
            NDArray target = second.getLabels().singletonOrThrow();
            assertThat(input.getShape()).isEqualTo(new Shape(8));
            assertThat(input.getDataType()).isEqualTo(DataType.INT32);
            assertThat(input.toIntArray()).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
            assertThat(target.toIntArray()).containsExactly(9, 10, 11, 12, 13, 14, 15, 16);
        }
    }

    @Test
    void batchesAreBxTInputsAndTargets() throws Exception {
        TokenWindows windows = TokenWindows.builder()
                .setTokens(counting(30)).setSequenceLength(4).setSampling(3, false).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = windows.getData(manager).iterator().next();
            NDArray x = batch.getData().singletonOrThrow();
            NDArray y = batch.getLabels().singletonOrThrow();
            assertThat(x.getShape()).isEqualTo(new Shape(3, 4));
            assertThat(y.getShape()).isEqualTo(new Shape(3, 4));
            assertThat(x.toIntArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(y.toIntArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            batch.close();
        }
    }

    @Test
    void trainingWindowsStartAtSeededRandomOffsetsThatChangeEachEpoch() throws Exception {
        TokenWindows a = randomWindows(7);
        TokenWindows b = randomWindows(7);
        TokenWindows c = randomWindows(8);
        int[] offsetsA = offsets(a);
        assertThat(offsetsA).containsExactly(offsets(b));
        assertThat(offsetsA).isNotEqualTo(offsets(c));
        assertThat(java.util.Arrays.stream(offsetsA).boxed()).allMatch(o -> o >= 0 && o <= 1000 - 16 - 1);
        assertThat(offsetsA).isNotEqualTo(new int[] {0, 16, 32, 48, 64, 80, 96, 112, 128, 144});
        try (NDManager manager = NDManager.newBaseManager()) {
            a.getData(manager); // epoch 0
            int[] epoch0 = offsets(a);
            a.getData(manager); // epoch 1
            assertThat(offsets(a)).isNotEqualTo(epoch0);
            Record r = a.get(manager, 3);
            int o = a.offset(3);
            assertThat(r.getData().singletonOrThrow().getInt(0)).isEqualTo(o % 251);
            assertThat(r.getLabels().singletonOrThrow().getInt(15)).isEqualTo((o + 16) % 251);
        }
    }

    private static TokenWindows randomWindows(long seed) {
        int[] ids = new int[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % 251;
        }
        return TokenWindows.builder()
                .setTokens(TokenSequence.of(ids)).setSequenceLength(16)
                .optRandomOffsets(true).optSeed(seed).setSampling(4, true).build();
    }

    private static int[] offsets(TokenWindows windows) {
        int[] out = new int[10];
        for (int i = 0; i < out.length; i++) {
            out[i] = windows.offset(i);
        }
        return out;
    }

    @Test
    void textShorterThanOneWindowIsRejected() {
        assertThatThrownBy(() -> TokenWindows.builder()
                        .setTokens(counting(8)).setSequenceLength(8).setSampling(1, false).build())
                .hasMessageContaining("T + 1 = 9 tokens")
                .hasMessageContaining("only 8");
    }

    @Test
    void tokenSequenceUsesCharsAboveByteRange() {
        TokenSequence wide = TokenSequence.of(new int[] {3, 300, 65535});
        assertThat(wide.toArray()).containsExactly(3, 300, 65535);
        assertThat(wide.slice(1, 3).toArray()).containsExactly(300, 65535);
        assertThat(TokenSequence.ofBytes(new byte[] {(byte) 200}).get(0)).isEqualTo(200);
    }

    @Test
    void wikiTextKeepsItsOwnSplit() {
        TextCorpus wiki = TextCorpus.wikiText103(Samples.of("wikitext103"), Vocabulary.Level.BYTE);
        assertThat(wiki.text(Dataset.Usage.VALIDATION, 0, 23)).isEqualTo(" \n = Homarus gammarus =");
        assertThat(wiki.tokens(Dataset.Usage.TEST).length()).isEqualTo(69);
        TextCorpus chars = TextCorpus.wikiText103(Samples.of("wikitext103"), Vocabulary.Level.CHAR);
        assertThat(chars.text(Dataset.Usage.TRAIN, 0, 60)).contains("Senjō");
    }

    @Test
    void missingWikiTextSaysHowToFetchIt(@TempDir Path dir) {
        assertThatThrownBy(() -> TextCorpus.wikiText103(dir, Vocabulary.Level.BYTE))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("wiki.train.raw")
                .hasMessageContaining("datasets/fetch wikitext103");
    }

    @Test
    void missingTextFileIsReported(@TempDir Path dir) {
        Path nope = dir.resolve("nope.txt");
        assertThatThrownBy(() -> TextCorpus.fromFile(nope, Vocabulary.Level.BYTE))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(nope.toString());
    }

    @Test
    void bibleReferencesAreStripped() throws Exception {
        String output = Files.readString(Samples.of("kjv/bible-output.txt"), StandardCharsets.US_ASCII);
        String text = KingJamesBible.fromBibleOutput(output);
        assertThat(text.lines()).hasSize(5);
        assertThat(text).startsWith("In the beginning God created the heaven and the earth.\n");
        assertThat(text).contains("\nAnd the LORD came, and stood,");
        assertThat(text).contains("\nI am the rose of Sharon,");
        assertThat(text).endsWith("with you all. Amen.\n");
        assertThat(text).doesNotContainPattern("[A-Za-z]+\\d+:\\d+");
    }

    @Test
    void gutenbergEditionLosesItsHeaderAndVerseNumbers() {
        String pg = "The Project Gutenberg eBook\r\n*** START OF THE PROJECT GUTENBERG EBOOK ***\r\n"
                + "Genesis\r\n\r\n1:1 In the beginning God created the heaven and the earth.\r\n\r\n"
                + "1:2 And the earth was without form, and void.\r\n*** END OF THE PROJECT ***\r\nlicence";
        String text = KingJamesBible.fromGutenberg(pg);
        assertThat(text).isEqualTo(
                "Genesis\n\nIn the beginning God created the heaven and the earth.\n\n"
                        + "And the earth was without form, and void.\n");
    }

    @Test
    void realKingJamesBibleFromTheDebianPackage() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bible")), "bible-kjv not installed");
        long start = System.nanoTime();
        TextCorpus kjv = TextCorpus.kjv(Vocabulary.Level.BYTE);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("KJV loaded in %d ms: %s%n", millis, kjv.summary());
        // 4,404,412 bytes of `bible` output less 266,562 bytes of references and their spaces
        assertThat(kjv.size()).isEqualTo(4_137_850L);
        assertThat(kjv.text(Dataset.Usage.TRAIN, 0, 4_000_000).lines().count()
                        + kjv.text(Dataset.Usage.VALIDATION, 0, 300_000).lines().count()
                        + kjv.text(Dataset.Usage.TEST, 0, 300_000).lines().count())
                .isBetween(31_102L, 31_104L); // 31,102 verses; a split may cut one in two
        assertThat(kjv.text(Dataset.Usage.TRAIN, 0, 16)).isEqualTo("In the beginning");
        String end = kjv.text(Dataset.Usage.TEST, kjv.tokens(Dataset.Usage.TEST).length() - 20, 20);
        assertThat(end).isEqualTo("with you all. Amen.\n");
        String sample = kjv.text(Dataset.Usage.TRAIN, 0, 200_000);
        assertThat(sample.lines()).noneMatch(l -> l.matches("^[1-3]?[A-Za-z]+\\d+:\\d+.*"));
    }
}
