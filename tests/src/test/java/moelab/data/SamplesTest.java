package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed samples are exactly what {@link SampleGenerator} writes. */
class SamplesTest {

    @Test
    void committedSamplesMatchTheGenerator(@TempDir Path dir) throws IOException {
        SampleGenerator.writeAll(dir);
        List<Path> generated = files(dir);
        assertThat(generated).hasSize(files(Samples.dir()).size()).isNotEmpty();
        for (Path relative : generated) {
            Path committed = Samples.dir().resolve(relative.toString());
            assertThat(committed).as("%s is committed", relative).exists();
            assertThat(Files.readAllBytes(committed))
                    .as("%s is up to date; rerun SampleGenerator", relative)
                    .isEqualTo(Files.readAllBytes(dir.resolve(relative.toString())));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }
}
