package moelab.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Grades a notebook: {@code ./moelab grade NOTEBOOK.ipynb [--out DIR]}.
 *
 * <ol>
 *   <li>the exercise cells and the notebook's imports become one class, compiled against the
 *       toolkit ({@link Submission}, {@link SubmissionCompiler});
 *   <li>the exercises to grade are those of the notebook plus every exercise whose tests carry the
 *       notebook's number ({@code 01-...} for {@code 01-setup.ipynb}), so deleting a cell does not
 *       dodge its tests;
 *   <li>each exercise's JUnit tests (tagged with its id, in {@value ExerciseMain#EXERCISES_PACKAGE})
 *       run in a JVM of their own ({@link ExerciseMain}), killed after the time limit;
 *   <li>a table goes to standard output, {@code report.json} and {@code junit.xml} to {@code --out}.
 * </ol>
 *
 * Exit status: 0 when grading worked (whatever the score; with {@code --strict} only at 100%),
 * 1 with {@code --strict} below 100%, 2 when the notebook cannot be graded.
 */
@Command(name = "grade", mixinStandardHelpOptions = true, description = "Grade the exercises of a notebook.")
public final class Grader implements Callable<Integer> {

    @Parameters(paramLabel = "NOTEBOOK", description = "The notebook (.ipynb) to grade.")
    Path notebook;

    @Option(names = "--out", paramLabel = "DIR", description = "Where report.json, junit.xml and Submission.java go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("grade-report");

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit per exercise (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Option(names = "--exercise", paramLabel = "ID", description = "Grade only this exercise (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--strict", description = "Exit with status 1 unless every exercise passes.")
    boolean strict;

    /** Grading settings. */
    public record Options(Duration timeout, Set<String> only, String classpath, Path workDir) {

        /** Defaults: 120 s per exercise, all exercises, this JVM's classpath. */
        public static Options defaults(Path workDir) {
            return new Options(Duration.ofSeconds(120), Set.of(), System.getProperty("java.class.path"), workDir);
        }

        /** The same options with another time limit. */
        public Options withTimeout(Duration t) {
            return new Options(t, only, classpath, workDir);
        }

        /** The same options restricted to some exercises. */
        public Options only(String... ids) {
            return new Options(timeout, Set.of(ids), classpath, workDir);
        }
    }

    /** Command-line entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Grader()).execute(args));
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(notebook)) {
            System.err.println("grade: no such notebook: " + notebook);
            return 2;
        }
        GradeReport report;
        try {
            Options options = new Options(Duration.ofSeconds(timeoutSeconds), Set.copyOf(only),
                    System.getProperty("java.class.path"), out.resolve("work"));
            report = grade(notebook, options);
        } catch (IllegalArgumentException e) {
            System.err.println("grade: " + e.getMessage());
            return 2;
        }
        report.write(out);
        System.out.print(report.table());
        System.out.println("\nreports: " + out.resolve("report.json") + ", " + out.resolve("junit.xml")
                + "; compiled source: " + out.resolve("work").resolve("Submission.java"));
        return strict && report.score() < 1 ? 1 : 0;
    }

    /** Grades a notebook; see the class comment. */
    public static GradeReport grade(Path notebookFile, Options options) {
        Notebook notebook = Notebook.read(notebookFile);
        String name = notebookFile.getFileName().toString();
        String number = name.length() > 2 && name.substring(0, 2).matches("\\d\\d") ? name.substring(0, 2) : null;
        Submission submission = Submission.of(notebook);
        Map<String, Integer> catalog = testCounts();
        Set<String> ids = new LinkedHashSet<>(submission.exerciseIds());
        if (number != null) {
            catalog.keySet().stream().filter(id -> id.startsWith(number + "-")).forEach(ids::add);
        }
        if (!options.only().isEmpty()) {
            ids.retainAll(options.only());
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("none of the exercises " + options.only() + " belongs to " + name);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(name + " has no exercise cells and no exercise tests");
        }
        SubmissionCompiler.Result compiled = SubmissionCompiler.compile(submission, options.classpath(), options.workDir());
        List<ExerciseResult> results = new ArrayList<>();
        for (String id : ids) {
            ExerciseResult result;
            if (!submission.exerciseIds().contains(id)) {
                result = new ExerciseResult(id, ExerciseResult.Status.MISSING, List.of(),
                        "the notebook has no exercise cell " + id + " (tag \"exercise\", metadata moelab.exercise)");
            } else if (compiled.errors().containsKey(id)) {
                result = new ExerciseResult(id, ExerciseResult.Status.COMPILE_ERROR, List.of(),
                        "the cell does not compile:\n" + compiled.errors().get(id));
            } else if (!catalog.containsKey(id)) {
                result = new ExerciseResult(id, ExerciseResult.Status.NO_TESTS, List.of(),
                        "no tests are tagged with this exercise id in " + ExerciseMain.EXERCISES_PACKAGE);
            } else {
                result = runTests(id, compiled.classes(), options);
            }
            results.add(result);
        }
        return new GradeReport(name, results);
    }

    /** Exercise id → number of tests, from the tags of the tests in the exercises package. */
    public static Map<String, Integer> testCounts() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(ExerciseMain.EXERCISES_PACKAGE)).build();
        TestPlan plan = LauncherFactory.create().discover(request);
        Map<String, Integer> counts = new TreeMap<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier test : plan.getDescendants(root)) {
                if (test.isTest()) {
                    for (TestTag tag : test.getTags()) {
                        counts.merge(tag.getName(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static ExerciseResult runTests(String id, Path classes, Options options) {
        Path dir = options.workDir().resolve(id);
        Path resultFile = dir.resolve("result.json");
        Path log = dir.resolve("output.log");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(resultFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", classes + File.pathSeparator + options.classpath(),
                ExerciseMain.class.getName(), id, resultFile.toAbsolutePath().toString());
        Process process;
        boolean finished;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            finished = process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test JVM " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while grading " + id, e);
        }
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExerciseMain.Progress progress = readProgress(resultFile);
        List<ExerciseMain.TestRecord> tests = progress == null ? List.of() : List.copyOf(progress.tests);
        String running = progress == null || progress.running == null ? "" : " (while running \"" + progress.running + "\")";
        if (!finished) {
            return new ExerciseResult(id, ExerciseResult.Status.TIMEOUT, tests,
                    "stopped after the time limit of " + options.timeout().toSeconds() + " s" + running
                            + ": an infinite loop, or far too slow");
        }
        if (progress == null || !progress.finished) {
            return new ExerciseResult(id, ExerciseResult.Status.CRASHED, tests,
                    "the test JVM ended with exit status " + process.exitValue() + " before the tests finished" + running
                            + ": does the code call System.exit? Output: " + tail(log));
        }
        if (tests.isEmpty()) {
            return new ExerciseResult(id, ExerciseResult.Status.NO_TESTS, tests, "no test ran; output: " + tail(log));
        }
        if (tests.stream().allMatch(t -> t.status().equals("PASSED"))) {
            return new ExerciseResult(id, ExerciseResult.Status.PASSED, tests, null);
        }
        String stub = UnsupportedOperationException.class.getName() + ": exercise " + id;
        boolean untouched = tests.stream().allMatch(t -> t.message() != null && t.message().startsWith(stub));
        return untouched
                ? new ExerciseResult(id, ExerciseResult.Status.NOT_ATTEMPTED, tests, "not attempted: the stub is still there")
                : new ExerciseResult(id, ExerciseResult.Status.FAILED, tests, null);
    }

    private static ExerciseMain.Progress readProgress(Path file) {
        try {
            return Files.exists(file)
                    ? new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), ExerciseMain.Progress.class)
                    : null;
        } catch (IOException | JsonSyntaxException e) {
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(none)"
                    : "\n    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    /** The repository root: system property {@code moelab.root}, else the working directory. */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("moelab.root", ".")).toAbsolutePath().normalize();
    }
}
