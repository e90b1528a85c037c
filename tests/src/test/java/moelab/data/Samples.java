package moelab.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the committed samples, {@code datasets/samples}, from the test's working directory. */
final class Samples {

    private Samples() {}

    /**
     * Returns the samples root.
     *
     * @return the {@code datasets/samples} directory of this checkout
     */
    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("datasets/samples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("datasets/samples not found above " + here);
    }

    /**
     * Resolves a path inside the samples root.
     *
     * @param relative e.g. "fashion-mnist"
     * @return the path
     */
    static Path of(String relative) {
        return dir().resolve(relative);
    }
}
