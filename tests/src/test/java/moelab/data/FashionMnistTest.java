package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.loss.Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static FashionMnist sample(Dataset.Usage usage, int batchSize) {
        return FashionMnist.builder()
                .optDataDir(Samples.of("fashion-mnist"))
                .optUsage(usage)
                .setSampling(batchSize, false)
                .build();
    }

    private static float normalized(int pixel) {
        return (pixel / 255f - 0.2860f) / 0.3530f;
    }

    @Test
    void trainSampleHasTwentyLabelledImages() {
        FashionMnist train = sample(Dataset.Usage.TRAIN, 8);
        assertThat(train.size()).isEqualTo(20);
        assertThat(train.imageShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(train.label(0)).isEqualTo(0);
        assertThat(train.label(3)).isEqualTo(1); // 7*3 mod 10
        assertThat(train.label(19)).isEqualTo(3); // 7*19 mod 10
        assertThat(train.rawPixel(3, 0, 2, 5)).isEqualTo(37);
        assertThat(train.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }

    @Test
    void getNormalisesWithTheDatasetMeanAndStd() {
        FashionMnist train = sample(Dataset.Usage.TRAIN, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = train.get(manager, 3);
            NDArray image = record.getData().singletonOrThrow();
            assertThat(image.getShape()).isEqualTo(new Shape(1, 28, 28));
            assertThat(image.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(image.getFloat(0, 2, 5)).isCloseTo(normalized(37), within(1e-6f));
            assertThat(image.getFloat(0, 27, 27)).isCloseTo(normalized(30 + 54), within(1e-6f));
            NDArray label = record.getLabels().singletonOrThrow();
            assertThat(label.getDataType()).isEqualTo(DataType.INT32);
            assertThat(label.getInt()).isEqualTo(1);
        }
    }

    @Test
    void batchesHaveShapesB128x28AndIntLabels() throws Exception {
        FashionMnist train = sample(Dataset.Usage.TRAIN, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            int batches = 0;
            int examples = 0;
            for (Batch batch : train.getData(manager)) {
                NDArray x = batch.getData().singletonOrThrow();
                NDArray y = batch.getLabels().singletonOrThrow();
                assertThat(x.getShape().get(0)).isEqualTo(y.getShape().get(0));
                assertThat(x.getShape().slice(1)).isEqualTo(new Shape(1, 28, 28));
                assertThat(y.getDataType()).isEqualTo(DataType.INT32);
                if (batches == 0) {
                    assertThat(y.toIntArray()).containsExactly(0, 7, 4, 1, 8, 5, 2, 9);
                    assertThat(x.getFloat(2, 0, 0, 0)).isCloseTo(normalized(20), within(1e-6f));
                }
                examples += (int) x.getShape().get(0);
                batches++;
                batch.close();
            }
            assertThat(batches).isEqualTo(3); // 8 + 8 + 4
            assertThat(examples).isEqualTo(20);
        }
    }

    @Test
    void labelsFeedDjlSoftmaxCrossEntropy() throws Exception {
        FashionMnist train = sample(Dataset.Usage.TRAIN, 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = train.getData(manager).iterator().next();
            NDArray logits = manager.zeros(new Shape(10, 10));
            NDArray loss = Loss.softmaxCrossEntropyLoss()
                    .evaluate(batch.getLabels(), new ai.djl.ndarray.NDList(logits));
            // uniform prediction over 10 classes: loss ln(10) whatever the labels
            assertThat(loss.getFloat()).isCloseTo((float) Math.log(10), within(1e-5f));
            batch.close();
        }
    }

    @Test
    void testSplitReadsRawIdxFiles() {
        FashionMnist test = sample(Dataset.Usage.TEST, 4);
        assertThat(test.size()).isEqualTo(10);
        assertThat(test.label(7)).isEqualTo(7);
        assertThat(test.rawPixel(2, 0, 1, 1)).isEqualTo(255 - 20 - 2);
    }

    @Test
    void limitKeepsTheFirstExamples() {
        FashionMnist train = FashionMnist.builder()
                .optDataDir(Samples.of("fashion-mnist"))
                .optLimit(5)
                .setSampling(2, true)
                .build();
        assertThat(train.size()).isEqualTo(5);
        assertThat(train.label(4)).isEqualTo(8);
    }

    @Test
    void missingDirectoryNamesThePathAndTheFix(@TempDir Path dir) {
        Path nowhere = dir.resolve("no-such-dir");
        FashionMnist train = FashionMnist.builder().optDataDir(nowhere).setSampling(2, false).build();
        assertThatThrownBy(train::prepare)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("datasets/fetch fashion-mnist");
    }

    @Test
    void labelCountMismatchIsCorrupt(@TempDir Path dir) throws Exception {
        Path sample = Samples.of("fashion-mnist");
        Files.copy(sample.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-images-idx3-ubyte"));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), SampleGenerator.idx(new byte[] {1, 2, 3}, 3));
        FashionMnist test = FashionMnist.builder()
                .optDataDir(dir)
                .optUsage(Dataset.Usage.TEST)
                .setSampling(2, false)
                .build();
        assertThatThrownBy(test::prepare)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("expected 10 labels")
                .hasMessageContaining("found 3");
    }

    @Test
    void realDebianPackageHas60000And10000ImagesWithTheDocumentedStatistics() {
        assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR), "dataset-fashion-mnist not installed");
        long start = System.nanoTime();
        FashionMnist train = FashionMnist.builder().setSampling(128, true).build();
        FashionMnist test = FashionMnist.builder().optUsage(Dataset.Usage.TEST).setSampling(128, false).build();
        train.prepare(null);
        test.prepare(null);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Fashion-MNIST (Debian) loaded in %d ms%n", millis);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        assertThat(perClass).containsOnly(6_000);
        ChannelNormalization measured = train.measureStatistics();
        assertThat(measured.mean(0)).isCloseTo(0.2860f, within(5e-4f));
        assertThat(measured.std(0)).isCloseTo(0.3530f, within(5e-4f));
    }
}
