package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    private static Cifar10.Builder cifar10() {
        return Cifar10.builder().optDataDir(Samples.of("cifar10")).setSampling(4, false);
    }

    private static float[] batch(InMemoryImageDataset dataset, long... indices) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return dataset.getByIndices(manager, indices).getData().singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void readsTheFiveTrainingBatchesInOrder() {
        Cifar10 train = cifar10().optAugmentation(null).build();
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.imageShape()).isEqualTo(new Shape(3, 32, 32));
        for (int n = 0; n < 10; n++) {
            assertThat(train.label(n)).isEqualTo(n);
            assertThat(train.rawPixel(n, 2, 5, 5)).isEqualTo(20 * n); // blue plane
        }
        assertThat(train.rawPixel(0, 0, 3, 7)).isEqualTo(24); // red = 8*y
        assertThat(train.rawPixel(0, 1, 3, 7)).isEqualTo(56); // green = 8*x
        assertThat(train.classNames()).hasSize(10).startsWith("airplane");
    }

    @Test
    void normalisesEachChannelWithItsOwnStatistics() {
        Cifar10 train = cifar10().optAugmentation(null).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = train.get(manager, 1).getData().singletonOrThrow();
            assertThat(image.getShape()).isEqualTo(new Shape(3, 32, 32));
            assertThat(image.getFloat(0, 3, 7)).isCloseTo((24 / 255f - 0.4914f) / 0.2470f, within(1e-6f));
            assertThat(image.getFloat(1, 3, 7)).isCloseTo((56 / 255f - 0.4822f) / 0.2435f, within(1e-6f));
            assertThat(image.getFloat(2, 3, 7)).isCloseTo((20 / 255f - 0.4465f) / 0.2616f, within(1e-6f));
        }
    }

    @Test
    void testSplitIsNotAugmented() {
        Cifar10 test = cifar10().optUsage(Dataset.Usage.TEST).build();
        assertThat(test.isAugmented()).isFalse();
        assertThat(test.size()).isEqualTo(4);
        assertThat(test.label(0)).isEqualTo(9);
        assertThat(test.label(3)).isEqualTo(6);
        assertThat(test.rawPixel(3, 2, 0, 0)).isEqualTo(30);
    }

    @Test
    void trainingAugmentationIsOnByDefaultAndDeterministicUnderASeed() {
        Cifar10 a = cifar10().optSeed(1).build();
        Cifar10 b = cifar10().optSeed(1).build();
        Cifar10 c = cifar10().optSeed(2).build();
        Cifar10 plain = cifar10().optAugmentation(null).build();
        assertThat(a.isAugmented()).isTrue();
        long[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(batch(a, all)).containsExactly(batch(b, all));
        assertThat(Arrays.equals(batch(a, all), batch(c, all))).isFalse();
        assertThat(Arrays.equals(batch(a, all), batch(plain, all))).isFalse();
        // an example's draw does not depend on which other examples share its batch
        float[] alone = batch(a, 7);
        float[] inBatch = Arrays.copyOfRange(batch(a, 3, 7), 3072, 6144);
        assertThat(alone).containsExactly(inBatch);
    }

    @Test
    void augmentedImagesAreShiftedOrMirroredCopiesOfTheOriginal() {
        // red = 8*y and green = 8*x, so every output row/column must read a shifted or mirrored ramp
        Cifar10 train = cifar10().optSeed(3).build();
        float zeroRed = (0 - 0.4914f) / 0.2470f;
        float[] x = batch(train, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (int n = 0; n < 10; n++) {
            int base = n * 3072;
            int top = -1;
            for (int shift = -4; shift <= 4 && top < 0; shift++) {
                boolean fits = true;
                for (int y = 0; y < 32; y++) {
                    int sy = y + shift;
                    float expected = sy < 0 || sy >= 32 ? zeroRed : (8 * sy / 255f - 0.4914f) / 0.2470f;
                    fits &= Math.abs(x[base + y * 32 + 16] - expected) < 1e-5;
                }
                if (fits) {
                    top = shift + 4;
                }
            }
            assertThat(top).as("example %d red plane is the ramp shifted by 0..8 rows", n).isBetween(0, 8);
        }
    }

    @Test
    void epochsDrawNewAugmentations() throws Exception {
        Cifar10 train = cifar10().optSeed(5).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] first = firstBatch(train, manager);
            float[] second = firstBatch(train, manager);
            assertThat(Arrays.equals(first, second)).isFalse();
            Cifar10 again = cifar10().optSeed(5).build();
            assertThat(firstBatch(again, manager)).containsExactly(first);
        }
    }

    private static float[] firstBatch(InMemoryImageDataset dataset, NDManager manager) throws Exception {
        try (Batch batch = dataset.getData(manager).iterator().next()) {
            return batch.getData().singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void cifar100KeepsFineOrCoarseLabels() {
        Cifar100 fine = Cifar100.builder()
                .optDataDir(Samples.of("cifar100")).setSampling(2, false).build();
        Cifar100 coarse = Cifar100.builder()
                .optDataDir(Samples.of("cifar100")).optCoarseLabels(true).setSampling(2, false).build();
        assertThat(fine.size()).isEqualTo(6);
        assertThat(fine.label(3)).isEqualTo(51);
        assertThat(coarse.label(3)).isEqualTo(3);
        assertThat(fine.classNames()).hasSize(100).contains("aquarium_fish");
        assertThat(coarse.classNames()).hasSize(20);
        assertThat(fine.rawPixel(2, 0, 9, 9)).isEqualTo(80);
        Cifar100 test = Cifar100.builder().optDataDir(Samples.of("cifar100"))
                .optUsage(Dataset.Usage.TEST).setSampling(2, false).build();
        assertThat(test.size()).isEqualTo(3);
        assertThat(test.label(2)).isEqualTo(97);
        assertThat(test.isAugmented()).isFalse();
    }

    @Test
    void truncatedBatchFileSaysTheRecordSize(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Path sample = Samples.of("cifar10/cifar-10-batches-bin");
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
            Files.copy(sample.resolve(name), bin.resolve(name));
        }
        Files.write(bin.resolve("data_batch_3.bin"), new byte[3000]);
        Cifar10 train = Cifar10.builder().optDataDir(dir).setSampling(2, false).build();
        assertThatThrownBy(train::prepare)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(bin.resolve("data_batch_3.bin").toString())
                .hasMessageContaining("3073-byte records")
                .hasMessageContaining("3000 bytes")
                .hasMessageContaining("datasets/fetch cifar10");
    }

    @Test
    void cifar10FilesAreNotCifar100() {
        // the CIFAR-10 test batch has 4 records of 3073 bytes: not whole 3074-byte records
        Path dir = Samples.of("cifar10/cifar-10-batches-bin");
        assertThatThrownBy(() -> CifarBinary.read(
                        java.util.List.of(dir.resolve("test_batch.bin")), 2, 1, 100, 10,
                        "CIFAR-100", Cifar100.HOW_TO_FETCH))
                .hasMessageContaining("3074-byte records")
                .hasMessageContaining("datasets/fetch cifar100");
    }

    @Test
    void missingDatasetNamesThePathAndTheFetchCommand(@TempDir Path dir) {
        Cifar100 train = Cifar100.builder().optDataDir(dir).setSampling(2, false).build();
        assertThatThrownBy(train::prepare)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("train.bin and test.bin")
                .hasMessageContaining("datasets/fetch cifar100");
    }
}
