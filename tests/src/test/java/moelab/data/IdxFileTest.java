package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    private static final String FIX = "apt-get install dataset-fashion-mnist";

    @Test
    void readsGzippedImagesWithTheirHeaderShape() {
        IdxFile images = IdxFile.read(
                Samples.of("fashion-mnist/train-images-idx3-ubyte.gz"), 3, Long.MAX_VALUE, "F", FIX);
        assertThat(images.dims()).containsExactly(20, 28, 28);
        // image 3, row 2, column 5 = 10*3 + 2 + 5
        assertThat(images.values()[(3 * 28 + 2) * 28 + 5] & 0xFF).isEqualTo(37);
    }

    @Test
    void readsRawLabels() {
        IdxFile labels = IdxFile.read(
                Samples.of("fashion-mnist/t10k-labels-idx1-ubyte"), 1, Long.MAX_VALUE, "F", FIX);
        assertThat(labels.dims()).containsExactly(10);
        assertThat(labels.values()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void limitReadsOnlyTheFirstItems() {
        IdxFile images = IdxFile.read(
                Samples.of("fashion-mnist/train-images-idx3-ubyte.gz"), 3, 4, "F", FIX);
        assertThat(images.dims()).containsExactly(4, 28, 28);
        assertThat(images.values()).hasSize(4 * 28 * 28);
    }

    @Test
    void wrongMagicNumberSaysWhatWasExpected() {
        // a label file read as an image file
        Path labels = Samples.of("fashion-mnist/t10k-labels-idx1-ubyte");
        assertThatThrownBy(() -> IdxFile.read(labels, 3, Long.MAX_VALUE, "Fashion-MNIST", FIX))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labels.toAbsolutePath().toString())
                .hasMessageContaining("expected IDX magic number 0x00000803")
                .hasMessageContaining("found 0x00000801")
                .hasMessageContaining(FIX);
    }

    @Test
    void truncatedFileSaysHowMuchWasPromised(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Samples.of("fashion-mnist/t10k-images-idx3-ubyte"));
        Path cut = dir.resolve("t10k-images-idx3-ubyte");
        Files.write(cut, java.util.Arrays.copyOf(whole, 1000));
        assertThatThrownBy(() -> IdxFile.read(cut, 3, Long.MAX_VALUE, "Fashion-MNIST", FIX))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("[10, 28, 28]")
                .hasMessageContaining("7840 bytes")
                .hasMessageContaining("ends after 984 bytes")
                .hasMessageContaining(FIX);
    }

    @Test
    void emptyAndMissingFilesAreReported(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> IdxFile.read(empty, 1, Long.MAX_VALUE, "F", FIX))
                .hasMessageContaining("empty")
                .hasMessageContaining(FIX);
        Path missing = dir.resolve("nope.gz");
        assertThatThrownBy(() -> IdxFile.read(missing, 1, Long.MAX_VALUE, "F", FIX))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining(FIX);
    }
}
