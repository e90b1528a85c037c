package moelab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where moelab looks for datasets on disk.
 *
 * <p>Every dataset has a home directory {@code <root>/<name>}, where the root is the environment
 * variable {@code MOELAB_DATASETS} when set, else {@code ~/.moelab/datasets}. This is where {@code
 * datasets/fetch NAME} puts downloads. A directory given by the user (the CLI's {@code --data-dir})
 * always wins; some datasets also look in a system directory first (the Debian package's).
 */
public final class DatasetHome {

    private DatasetHome() {}

    /**
     * Returns the root under which every dataset has its own directory.
     *
     * @return {@code $MOELAB_DATASETS}, or {@code ~/.moelab/datasets}
     */
    public static Path root() {
        String env = System.getenv("MOELAB_DATASETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".moelab", "datasets");
    }

    /**
     * Returns the default directory of one dataset.
     *
     * @param name the dataset's registry name, e.g. "cifar10"
     * @return {@code root()/name}
     */
    public static Path of(String name) {
        return root().resolve(name);
    }

    /**
     * Picks the first candidate directory that holds the dataset.
     *
     * @param dataset display name used in the error message
     * @param userDir a directory given by the user, or {@code null}; when given it is the only
     *     candidate
     * @param defaults the directories tried in order when no user directory is given
     * @param holdsDataset tells whether a directory has the expected files
     * @param expected what the directory must contain, for the error message
     * @param howToFetch the fetch command, for the error message
     * @return the directory to read from
     * @throws DatasetException when no candidate holds the dataset
     */
    public static Path locate(
            String dataset,
            Path userDir,
            List<Path> defaults,
            Predicate<Path> holdsDataset,
            String expected,
            String howToFetch) {
        List<Path> candidates = userDir != null ? List.of(userDir) : new ArrayList<>(defaults);
        for (Path dir : candidates) {
            if (Files.isDirectory(dir) && holdsDataset.test(dir)) {
                return dir;
            }
        }
        throw DatasetException.missing(dataset, candidates, expected, howToFetch);
    }
}
