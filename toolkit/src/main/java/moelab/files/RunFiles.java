package moelab.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How a run writes its files: every file (CSV, PNG, JSON, checkpoint) gets the same mode {@value
 * #MODE} (owner writes, everyone reads), and whole files are written atomically: into a temporary
 * file beside the target, forced to disk, then moved over the target in one step, so a reader (or
 * a run killed while writing) never sees half a file.
 */
public final class RunFiles {

    /** The mode of every file a run writes. */
    public static final String MODE = "rw-r--r--";

    private static final Set<PosixFilePermission> PERMISSIONS = PosixFilePermissions.fromString(MODE);

    private RunFiles() {}

    /** What writes a file's content. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with mode {@value #MODE}; its directory is created.
     *
     * @throws UncheckedIOException when it cannot be written; an existing {@code target} is then
     *     untouched and no temporary file is left
     */
    public static Path writeAtomically(Path target, Content content) {
        return writeAtomically(target, null, content);
    }

    /**
     * Writes {@code target} atomically, first moving the file it replaces (if any) to {@code
     * previous} (when not null), also atomically. A crash between the two moves leaves {@code
     * previous} and no {@code target}: a reader should then fall back to {@code previous}.
     */
    public static Path writeAtomically(Path target, Path previous, Content content) {
        Path tmp = null;
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true); // on disk before the move makes it the file
            }
            setMode(tmp);
            if (previous != null && Files.isRegularFile(target)) {
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Gives an existing file the mode {@value #MODE} (no-op where files have no POSIX modes). */
    public static void setMode(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PERMISSIONS);
        } catch (UnsupportedOperationException notPosix) {
            // e.g. Windows: the file keeps the default permissions
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temporary file is left behind; the target is intact
            }
        }
    }
}
