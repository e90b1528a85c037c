package moelab.grading;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One exercise's test run: starts {@link ExerciseMain} in the {@link Sandbox}, hands it the
 * verdict channel's secret on standard input, reads the signed verdicts from its standard output
 * and keeps a capped log of its standard error, watches the time limit and the resident memory of
 * every process of the run, then kills them all and waits until none is left. The result comes
 * from {@link RunVerdict}, out of what this grader saw.
 */
final class ExerciseRun {

    /** Environment variables the test JVM keeps; everything else (tokens, secrets) is dropped. */
    private static final Set<String> KEPT_ENVIRONMENT = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ",
            "JAVA_HOME", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "MOELAB_SMOKE", "OMP_NUM_THREADS");
    private static final int MAX_LINE = 1 << 20;
    private static final int LOG_BYTES = 16 * 1024;

    /** What a run may use: wall-clock time and resident memory (all its processes, native included). */
    record Limits(Duration time, long memoryBytes) {}

    /** A verdict line's payload. */
    record Event(String exercise, String event, String id, String name, boolean test, String status, String message) {}

    private ExerciseRun() {}

    /**
     * Runs the tests of exercise {@code id} against the classes in {@code classes}.
     *
     * @param expected the catalogue's tests of the exercise (unique id → name)
     * @param dir the exercise's work directory; the run may write only in {@code dir/run}
     */
    static ExerciseResult run(String id, Path classes, Map<String, String> expected, Sandbox sandbox,
            List<Path> classpath, Path dir, Limits limits) {
        Path runDir = dir.resolve("run");
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> fullClasspath = new ArrayList<>();
        fullClasspath.add(classes);
        fullClasspath.addAll(classpath);
        List<String> java = List.of(javaHome.resolve("bin").resolve("java").toString(), "-Xmx1g", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData", "-Djava.awt.headless=true",
                "-cp", String.join(File.pathSeparator, fullClasspath.stream().map(Path::toString).toList()),
                ExerciseMain.class.getName(), id);
        List<Path> readable = new ArrayList<>(fullClasspath);
        readable.add(realPath(javaHome));
        readable.add(EngineCache.dir());
        ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(java, runDir, readable)).directory(runDir.toFile());
        builder.environment().keySet().retainAll(KEPT_ENVIRONMENT);

        String secret = VerdictChannel.newSecret();
        VerdictChannel.Verifier verifier = new VerdictChannel.Verifier(secret);
        List<Event> events = new CopyOnWriteArrayList<>();
        CappedLog log = new CappedLog(LOG_BYTES);
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test JVM: " + e.getMessage(), e);
        }
        ProcessTree tree = new ProcessTree(process.pid(), sandbox.isolated() ? 0 : process.pid());
        Thread verdicts = drain(process.getInputStream(), line -> {
            String payload = verifier.accept(line);
            if (payload != null) {
                try {
                    Event e = new Gson().fromJson(payload, Event.class);
                    if (e != null && id.equals(e.exercise())) {
                        events.add(e);
                    }
                } catch (JsonParseException ignored) {
                    // signed, so ours; cannot happen
                }
            }
        });
        Thread output = drain(process.getErrorStream(), log::add);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the JVM died at once: judged below as a crash
        }
        RunVerdict.Ending ending = watch(process, tree, events, limits, start);
        tree.killAll();
        process.destroyForcibly();
        try {
            process.waitFor();
            verdicts.join(5000);
            output.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.killAll();
        log.writeTo(dir.resolve("output.log"));
        String exit = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        return RunVerdict.judge(id, expected, List.copyOf(events), ending, limits, exit, verifier.rejected(), log.tail(10));
    }

    /** Waits until the run reports it is done, ends, or passes a limit. */
    private static RunVerdict.Ending watch(Process process, ProcessTree tree, List<Event> events, Limits limits, long start) {
        long deadline = start + limits.time().toNanos();
        int tick = 0;
        while (true) {
            if (events.stream().anyMatch(e -> "done".equals(e.event()))) {
                return RunVerdict.Ending.DONE;
            }
            if (!process.isAlive()) {
                return RunVerdict.Ending.EXITED;
            }
            if (System.nanoTime() > deadline) {
                return RunVerdict.Ending.TIME;
            }
            if (tick++ % 4 == 0 && tree.residentBytes() > limits.memoryBytes()) {
                return RunVerdict.Ending.MEMORY;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunVerdict.Ending.TIME;
            }
        }
    }

    /** A daemon thread handing each line of a stream (cut at 1 MiB) to a consumer. */
    private static Thread drain(InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else if (line.size() < MAX_LINE) {
                            line.write(buffer[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the stream closed
            }
        }, "grader-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** The first and last few KiB of the student's output; what lies between is dropped. */
    private static final class CappedLog {

        private final int cap;
        private final StringBuilder head = new StringBuilder();
        private final List<String> tail = new ArrayList<>();
        private int tailChars;
        private long dropped;

        CappedLog(int cap) {
            this.cap = cap;
        }

        synchronized void add(String line) {
            if (head.length() < cap) {
                head.append(line, 0, Math.min(line.length(), cap)).append('\n');
                return;
            }
            tail.add(line.length() > cap ? line.substring(0, cap) : line);
            tailChars += Math.min(line.length(), cap);
            while (tailChars > cap && !tail.isEmpty()) {
                tailChars -= tail.remove(0).length();
                dropped++;
            }
        }

        synchronized String tail(int n) {
            List<String> all = new ArrayList<>(head.toString().lines().toList());
            all.addAll(tail);
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        }

        synchronized void writeTo(Path file) {
            String text = head + (dropped > 0 ? "[... " + dropped + " lines left out ...]\n" : "") + String.join("\n", tail);
            try {
                Files.deleteIfExists(file);
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
