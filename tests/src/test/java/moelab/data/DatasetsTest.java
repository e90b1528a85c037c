package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    private static DatasetOptions options(String sample) {
        return DatasetOptions.defaults().withDataDir(Samples.of(sample)).withBatchSize(4);
    }

    @Test
    void fashionMnistByName() throws Exception {
        DataSplits splits = Datasets.byName("fashion-mnist", options("fashion-mnist"));
        assertThat(splits.task()).isEqualTo(DataSplits.Task.IMAGE_CLASSIFICATION);
        assertThat(splits.exampleShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(splits.numClasses()).isEqualTo(10);
        assertThat(splits.train().size()).isEqualTo(20);
        assertThat(splits.validation().size()).isEqualTo(10);
        assertThat(splits.summary()).isEqualTo("fashion-mnist: train 20 / test 10 images of (1, 28, 28), 10 classes");
        try (NDManager manager = NDManager.newBaseManager();
                Batch batch = splits.train().getData(manager).iterator().next()) {
            assertThat(batch.getData().singletonOrThrow().getShape()).isEqualTo(new Shape(4, 1, 28, 28));
        }
    }

    @Test
    void fashionMnistByNameAugmentsOnlyTrainingAndHonoursTheFlag() {
        DataSplits on = Datasets.byName("fashion-mnist", options("fashion-mnist"));
        assertThat(((InMemoryImageDataset) on.train()).isAugmented()).isTrue();
        assertThat(((InMemoryImageDataset) on.test()).isAugmented()).isFalse();
        DataSplits off = Datasets.byName("fashion-mnist", options("fashion-mnist").withAugment(false));
        assertThat(((InMemoryImageDataset) off.train()).isAugmented()).isFalse();
    }

    @Test
    void cifarByNameAugmentsOnlyTrainingAndHonoursTheFlag() {
        DataSplits on = Datasets.byName("CIFAR10", options("cifar10"));
        assertThat(((InMemoryImageDataset) on.train()).isAugmented()).isTrue();
        assertThat(((InMemoryImageDataset) on.validation()).isAugmented()).isFalse();
        DataSplits off = Datasets.byName("cifar10", options("cifar10").withAugment(false));
        assertThat(((InMemoryImageDataset) off.train()).isAugmented()).isFalse();
        DataSplits hundred = Datasets.byName("cifar100", options("cifar100").withLimit(4));
        assertThat(hundred.numClasses()).isEqualTo(100);
        assertThat(hundred.train().size()).isEqualTo(4);
    }

    @Test
    void imageFolderByName() {
        DataSplits splits = Datasets.byName("imagenet", options("imagefolder").withImageSize(16));
        assertThat(splits.classNames()).containsExactly("cat", "dog");
        assertThat(splits.exampleShape()).isEqualTo(new Shape(3, 16, 16));
        assertThat(splits.train().size()).isEqualTo(5);
        assertThat(splits.validation().size()).isEqualTo(2);
    }

    @Test
    void textByNameGivesWindowsAndTheVocabulary() {
        DataSplits splits = Datasets.byName(
                "text",
                DatasetOptions.defaults().withDataDir(Samples.of("text/tiny.txt"))
                        .withSequenceLength(32).withBatchSize(8));
        assertThat(splits.task()).isEqualTo(DataSplits.Task.LANGUAGE_MODELLING);
        assertThat(splits.numClasses()).isEqualTo(256);
        assertThat(splits.exampleShape()).isEqualTo(new Shape(32));
        assertThat(splits.train().size()).isEqualTo((2610 - 1) / 32);
        assertThat(splits.validation().size()).isEqualTo((145 - 1) / 32);
        assertThat(splits.vocabulary()).containsSame(ByteVocabulary.INSTANCE);
        DataSplits wiki = Datasets.byName(
                "wikitext103", options("wikitext103").withSequenceLength(16).withVocabulary(Vocabulary.Level.CHAR));
        assertThat(wiki.vocabulary().orElseThrow().level()).isEqualTo(Vocabulary.Level.CHAR);
        assertThat(wiki.test().size()).isEqualTo((69 - 1) / 16);
    }

    @Test
    void kjvByName() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bible")), "bible-kjv not installed");
        DataSplits kjv = Datasets.byName("kjv", DatasetOptions.defaults().withSequenceLength(256).withLimit(100));
        assertThat(kjv.train().size()).isEqualTo(100);
        assertThat(kjv.summary()).startsWith("kjv: 4,137,850 tokens");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Datasets.byName("mnist", DatasetOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fashion-mnist, cifar10, cifar100, imagenet");
    }

    @Test
    void missingDatasetFailsAtLookupWithTheFix(@TempDir Path dir) {
        assertThatThrownBy(() -> Datasets.byName("cifar10", DatasetOptions.defaults().withDataDir(dir)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("datasets/fetch cifar10");
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> DatasetOptions.defaults().withBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
