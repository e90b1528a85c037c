package moelab.grading;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The DJL cache of PyTorch's native libraries ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}). The
 * sandbox shows it read-only, so before the first sandboxed run the grader fills it, if it is
 * empty, by loading the engine once in a JVM of its own that runs no student code.
 */
final class EngineCache {

    private EngineCache() {}

    /** The cache directory. */
    static Path dir() {
        String env = System.getenv("DJL_CACHE_DIR");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".djl.ai");
    }

    /** Loads the engine in a child JVM when the cache holds no PyTorch library yet. */
    static void ensure(List<Path> classpath) {
        try (Stream<Path> files = Files.exists(dir()) ? Files.walk(dir()) : Stream.empty()) {
            if (files.anyMatch(p -> p.getFileName().toString().startsWith("libtorch"))) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            // look no further: try to fill it
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
        try {
            Process p = new ProcessBuilder(java, "-cp", cp, EngineCache.class.getName())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // the runs will say what is missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads the default engine (which unpacks its native libraries into the cache). */
    public static void main(String[] args) {
        System.out.println(ai.djl.engine.Engine.getInstance().getEngineName());
    }
}
