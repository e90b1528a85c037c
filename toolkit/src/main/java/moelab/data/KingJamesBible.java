package moelab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The King James Bible as plain text, for character-level language modelling (4,137,850 bytes).
 *
 * <p>Read from the {@code bible} command of the Debian package {@code bible-kjv}: {@code bible -f
 * "gen1:1-rev22:21"} prints one verse a line after a reference such as {@code Ge1:1}; the
 * reference and the space after it are stripped, leaving the 31,102 verses one a line. Without
 * the command, the Project Gutenberg edition {@code ~/.moelab/datasets/kjv/pg10.txt} (fetched by
 * {@code datasets/fetch kjv}) is used: its licence header and footer are dropped and the verse
 * numbers stripped, so the text differs slightly (line breaks, book titles).
 */
public final class KingJamesBible {

    /** How to get it. */
    public static final String HOW_TO_FETCH =
            "sudo apt-get install bible-kjv  (or: datasets/fetch kjv, which downloads the Project"
                    + " Gutenberg edition into ~/.moelab/datasets/kjv/pg10.txt)";

    /** The verse range that covers the whole book. */
    public static final String WHOLE_BIBLE = "gen1:1-rev22:21";

    private static final Pattern REFERENCE = Pattern.compile("^[1-3]?[A-Za-z]+\\d+:\\d+ ?");
    private static final Pattern GUTENBERG_VERSE_NUMBER = Pattern.compile("(?m)(^|\\s)\\d+:\\d+\\s");

    private KingJamesBible() {}

    /**
     * Returns the whole text, one verse a line.
     *
     * @return the KJV text
     * @throws DatasetException when neither the {@code bible} command nor the Gutenberg file is
     *     available
     */
    public static String text() {
        String fromCommand = fromBibleCommand();
        if (fromCommand != null) {
            return fromCommand;
        }
        Path gutenberg = DatasetHome.of("kjv").resolve("pg10.txt");
        if (Files.isRegularFile(gutenberg)) {
            try {
                return fromGutenberg(Files.readString(gutenberg, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw DatasetException.corrupt("KJV", gutenberg, e.getMessage(), HOW_TO_FETCH, e);
            }
        }
        throw DatasetException.missing(
                "King James Bible",
                List.of(Path.of("/usr/bin/bible"), gutenberg),
                "the `bible` command (package bible-kjv) or the Gutenberg text pg10.txt",
                HOW_TO_FETCH);
    }

    /**
     * Strips the reference from one line of {@code bible} output.
     *
     * @param line e.g. {@code "Ge1:1 In the beginning God created the heaven and the earth."}
     * @return the verse text, e.g. {@code "In the beginning God created the heaven and the earth."}
     */
    public static String stripReference(String line) {
        return REFERENCE.matcher(line).replaceFirst("");
    }

    /**
     * Turns {@code bible} output into the corpus text.
     *
     * @param output lines of {@code reference verse}
     * @return the verses, one a line, each ending with a newline
     */
    public static String fromBibleOutput(String output) {
        StringBuilder text = new StringBuilder(output.length());
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                text.append(stripReference(line)).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Turns the Project Gutenberg edition into corpus text.
     *
     * @param gutenberg the content of pg10.txt
     * @return the text between the licence header and footer, verse numbers removed
     */
    public static String fromGutenberg(String gutenberg) {
        String text = gutenberg.replace("\r\n", "\n");
        int start = text.indexOf("*** START OF");
        if (start >= 0) {
            start = text.indexOf('\n', start) + 1;
        } else {
            start = 0;
        }
        int end = text.indexOf("*** END OF");
        if (end < 0) {
            end = text.length();
        }
        return GUTENBERG_VERSE_NUMBER.matcher(text.substring(start, end).strip() + "\n").replaceAll("$1");
    }

    private static String fromBibleCommand() {
        Process process;
        try {
            process =
                    new ProcessBuilder("bible", "-f", WHOLE_BIBLE)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
        } catch (IOException e) {
            return null; // not installed
        }
        try (InputStream out = process.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                throw new DatasetException(
                        "`bible -f " + WHOLE_BIBLE + "` did not finish in 60 s; reinstall it: "
                                + HOW_TO_FETCH,
                        null);
            }
            if (process.exitValue() != 0 || output.isBlank()) {
                throw new DatasetException(
                        "`bible -f " + WHOLE_BIBLE + "` failed (exit " + process.exitValue()
                                + ", " + output.length() + " characters of output); reinstall it: "
                                + HOW_TO_FETCH,
                        null);
            }
            return fromBibleOutput(output);
        } catch (IOException e) {
            throw new DatasetException("cannot read the output of `bible`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while running `bible`", e);
        }
    }
}
