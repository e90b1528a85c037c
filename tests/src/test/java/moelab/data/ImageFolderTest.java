package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    private static final float RED_ON_R = (1 - 0.485f) / 0.229f;
    private static final float BLACK_R = (0 - 0.485f) / 0.229f;
    private static final float NONE_G = (0 - 0.456f) / 0.224f;
    private static final float BLUE_ON_B = (1 - 0.406f) / 0.225f;

    private static ImageFolder sample(Dataset.Usage usage) {
        return ImageFolder.builder()
                .optRoot(Samples.of("imagefolder"))
                .optUsage(usage)
                .optImageSize(8)
                .optResizeSize(8)
                .setSampling(2, false)
                .build();
    }

    @Test
    void classesAreTheSortedFoldersAndTheIndexInterleavesThem() {
        ImageFolder train = sample(Dataset.Usage.TRAIN);
        assertThat(train.classNames()).containsExactly("cat", "dog");
        assertThat(train.size()).isEqualTo(5);
        assertThat(train.file(0).getFileName().toString()).isEqualTo("cat0.png");
        assertThat(train.file(1).getFileName().toString()).isEqualTo("dog0.png");
        assertThat(train.file(4).getFileName().toString()).isEqualTo("cat2.jpg");
        assertThat(new int[] {train.label(0), train.label(1), train.label(2), train.label(3), train.label(4)})
                .containsExactly(0, 1, 0, 1, 0);
        assertThat(train.imageShape()).isEqualTo(new Shape(3, 8, 8));
    }

    @Test
    void wideImageIsCentreCroppedWithoutMirroring() throws Exception {
        // cat0.png is 16x8, left half red: the centre 8 columns are 4 red then 4 black
        ImageFolder train = sample(Dataset.Usage.TRAIN);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = train.get(manager, 0).getData().singletonOrThrow();
            assertThat(x.getShape()).isEqualTo(new Shape(3, 8, 8));
            assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
            for (int col = 0; col < 8; col++) {
                float expected = col < 4 ? RED_ON_R : BLACK_R;
                assertThat(x.getFloat(0, 4, col)).as("red at column %d", col).isCloseTo(expected, within(1e-4f));
                assertThat(x.getFloat(1, 4, col)).isCloseTo(NONE_G, within(1e-4f));
            }
            assertThat(train.get(manager, 0).getLabels().singletonOrThrow().getInt()).isEqualTo(0);
        }
    }

    @Test
    void largerImagesAreResizedThenCropped() throws Exception {
        ImageFolder train = sample(Dataset.Usage.TRAIN);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray dog = train.get(manager, 1).getData().singletonOrThrow(); // 16x16 blue
            assertThat(dog.getShape()).isEqualTo(new Shape(3, 8, 8));
            for (float v : dog.get(2).toFloatArray()) {
                assertThat(v).isCloseTo(BLUE_ON_B, within(1e-4f));
            }
            NDArray tall = train.get(manager, 2).getData().singletonOrThrow(); // 8x12 red
            assertThat(tall.getShape()).isEqualTo(new Shape(3, 8, 8));
            NDArray jpeg = train.get(manager, 4).getData().singletonOrThrow(); // 10x10 red JPEG
            assertThat(jpeg.getShape()).isEqualTo(new Shape(3, 8, 8));
            assertThat(jpeg.getFloat(0, 4, 4)).isCloseTo(RED_ON_R, within(0.1f));
        }
    }

    @Test
    void defaultCropIs224WithResizeTo256() {
        ImageFolder folder = ImageFolder.builder().optRoot(Samples.of("imagefolder")).setSampling(1, false).build();
        assertThat(folder.imageShape()).isEqualTo(new Shape(3, 224, 224));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(folder.get(manager, 3).getData().singletonOrThrow().getShape())
                    .isEqualTo(new Shape(3, 224, 224));
        }
    }

    @Test
    void validationSplitBatchesThroughDjl() throws Exception {
        ImageFolder val = sample(Dataset.Usage.VALIDATION);
        assertThat(val.size()).isEqualTo(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = val.getData(manager).iterator().next();
            assertThat(batch.getData().singletonOrThrow().getShape()).isEqualTo(new Shape(2, 3, 8, 8));
            assertThat(batch.getLabels().singletonOrThrow().toIntArray()).containsExactly(0, 1);
            batch.close();
        }
    }

    @Test
    void limitKeepsEveryClass() {
        ImageFolder train = ImageFolder.builder()
                .optRoot(Samples.of("imagefolder")).optLimit(2).setSampling(1, false).build();
        assertThat(train.size()).isEqualTo(2);
        assertThat(new int[] {train.label(0), train.label(1)}).containsExactly(0, 1);
    }

    @Test
    void missingRootNamesThePathAndHowToFetch(@TempDir Path dir) {
        ImageFolder folder = ImageFolder.builder().optRoot(dir).setSampling(1, false).build();
        assertThatThrownBy(folder::prepare)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.resolve("train").toString())
                .hasMessageContaining("datasets/fetch imagenette");
    }

    @Test
    void undecodableImageNamesTheFile(@TempDir Path dir) throws Exception {
        Path broken = Files.createDirectories(dir.resolve("train/cat")).resolve("broken.png");
        Files.writeString(broken, "not a png");
        ImageFolder folder = ImageFolder.builder().optRoot(dir).setSampling(1, false).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> folder.get(manager, 0))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining(broken.toString())
                    .hasMessageContaining("cannot be decoded");
        }
    }

    @Test
    void validationClassWithoutTrainingFolderIsAnError(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("train/cat"));
        Files.createDirectories(dir.resolve("val/cow"));
        ImageFolder val = ImageFolder.builder()
                .optRoot(dir).optUsage(Dataset.Usage.VALIDATION).setSampling(1, false).build();
        assertThatThrownBy(val::prepare).hasMessageContaining("'cow' has no counterpart");
    }
}
