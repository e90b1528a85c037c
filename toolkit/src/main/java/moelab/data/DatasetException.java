package moelab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A dataset that is missing or does not have the expected on-disk format.
 *
 * <p>The message always names the path(s) that were looked at, what was expected there, and the
 * command that fetches the dataset, so a notebook user can fix the problem without reading code.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete, user-facing message.
     *
     * @param message what went wrong, where, and how to fix it
     * @param cause the underlying error, or {@code null}
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A dataset was not found in any of the places it is looked for.
     *
     * @param dataset the dataset's display name, e.g. "Fashion-MNIST"
     * @param lookedAt every directory or file that was tried, in order
     * @param expected what a valid location contains, e.g. "train-images-idx3-ubyte.gz"
     * @param howToFetch the command(s) that fetch the dataset
     * @return the exception to throw
     */
    public static DatasetException missing(
            String dataset, List<Path> lookedAt, String expected, String howToFetch) {
        String places =
                lookedAt.stream()
                        .map(p -> "  " + p.toAbsolutePath())
                        .collect(Collectors.joining("\n"));
        return new DatasetException(
                dataset
                        + " not found. Looked for "
                        + expected
                        + " in:\n"
                        + places
                        + "\nTo fetch it: "
                        + howToFetch,
                null);
    }

    /**
     * A dataset file exists but its content is not what the format promises.
     *
     * @param dataset the dataset's display name
     * @param file the offending file
     * @param problem what was expected and what was found
     * @param howToFetch the command(s) that fetch a fresh copy
     * @param cause the underlying error, or {@code null}
     * @return the exception to throw
     */
    public static DatasetException corrupt(
            String dataset, Path file, String problem, String howToFetch, Throwable cause) {
        return new DatasetException(
                dataset
                        + " file "
                        + file.toAbsolutePath()
                        + " is corrupt: "
                        + problem
                        + "\nTo fetch a fresh copy: "
                        + howToFetch,
                cause);
    }
}
