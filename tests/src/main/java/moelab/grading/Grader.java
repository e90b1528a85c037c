package moelab.grading;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grades a notebook (see {@link GradeCommand} for the command line and {@code tests/README.md}):
 *
 * <ol>
 *   <li>the chapter comes from the notebook's metadata ({@code "moelab": {"chapter": "02"}}), and
 *       the exercises graded are that chapter's in the {@link Catalogue}; a missing cell scores 0,
 *       cells of other chapters are reported and ignored;
 *   <li>each exercise cell is compiled on its own ({@link SubmissionCompiler}) and its bytecode
 *       checked for calls it may not make ({@link BytecodeCheck}, {@link ForbiddenCalls});
 *   <li>each exercise's tests run in a JVM of their own inside the {@link Sandbox}, under a time
 *       and a memory limit and a total time budget ({@link ExerciseRun}); the verdicts come back
 *       signed over a pipe the grader owns ({@link VerdictChannel}) and are checked against the
 *       catalogue ({@link RunVerdict});
 *   <li>every process of a run is dead before the next starts, so nothing can change the report.
 * </ol>
 */
public final class Grader {

    private static final Pattern SOURCE_LINE = Pattern.compile("\\(Submission\\.java:(\\d+)\\)");
    private static final Map<List<Path>, Catalogue> CATALOGUES = new ConcurrentHashMap<>();

    private Grader() {}

    /**
     * Grading settings.
     *
     * @param timeout time limit of one exercise's tests
     * @param only exercise ids to grade (empty: all of the chapter)
     * @param classpath the toolkit, the grader and the exercise tests
     * @param workDir where compiled cells and run logs go
     * @param total time budget of the whole grading
     * @param memoryBytes resident memory cap of one exercise's run (all its processes)
     * @param isolation which sandbox to use
     * @param hiddenTests directories or jars of exercise tests kept outside the students' copy
     * @param chapter the chapter the notebook must be (null: any)
     * @param checkBytecode whether to check the cells for forbidden calls (off only to test the sandbox alone)
     */
    public record Options(Duration timeout, Set<String> only, String classpath, Path workDir, Duration total,
            long memoryBytes, Sandbox.Mode isolation, List<Path> hiddenTests, String chapter, boolean checkBytecode) {

        /** Defaults: 120 s per exercise, 20 min in all, 3 GiB, best isolation, this JVM's classpath. */
        public static Options defaults(Path workDir) {
            return new Options(Duration.ofSeconds(120), Set.of(), System.getProperty("java.class.path"), workDir,
                    Duration.ofMinutes(20), 3072L << 20, Sandbox.Mode.AUTO, List.of(), null, true);
        }

        /** The same options with another time limit per exercise. */
        public Options withTimeout(Duration t) {
            return new Options(t, only, classpath, workDir, total, memoryBytes, isolation, hiddenTests, chapter, checkBytecode);
        }

        /** The same options restricted to some exercises. */
        public Options only(String... ids) {
            return new Options(timeout, Set.of(ids), classpath, workDir, total, memoryBytes, isolation, hiddenTests, chapter, checkBytecode);
        }

        /** The same options with another isolation mode. */
        public Options withIsolation(Sandbox.Mode mode) {
            return new Options(timeout, only, classpath, workDir, total, memoryBytes, mode, hiddenTests, chapter, checkBytecode);
        }

        /** The same options with hidden tests and a required chapter. */
        public Options withTests(List<Path> tests, String requiredChapter) {
            return new Options(timeout, only, classpath, workDir, total, memoryBytes, isolation, tests, requiredChapter, checkBytecode);
        }

        /** The same options without the bytecode check: to test the sandbox and the verdict channel alone. */
        Options withoutBytecodeCheck() {
            return new Options(timeout, only, classpath, workDir, total, memoryBytes, isolation, hiddenTests, chapter, false);
        }

        /** The same options with another total budget and memory cap. */
        public Options withBudget(Duration totalTime, long memory) {
            return new Options(timeout, only, classpath, workDir, totalTime, memory, isolation, hiddenTests, chapter, checkBytecode);
        }

        /** The limits as the report states them. */
        String describe() {
            return timeout.toSeconds() + " s per exercise, " + total.toSeconds() + " s in all, "
                    + (memoryBytes >> 20) + " MiB resident memory per exercise (heap and native)";
        }
    }

    /** The catalogue of the built-in exercise tests (plus hidden ones), discovered once per JVM. */
    public static Catalogue catalogue(List<Path> hiddenTests) {
        return CATALOGUES.computeIfAbsent(List.copyOf(hiddenTests), Catalogue::discover);
    }

    /** Exercise id → number of tests, of the built-in exercise tests. */
    public static Map<String, Integer> testCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        catalogue(List.of()).tests().forEach((id, tests) -> counts.put(id, tests.size()));
        return counts;
    }

    /**
     * Grades a notebook; see the class comment.
     *
     * @throws IllegalArgumentException when the notebook or the options are unusable (one-line message)
     */
    public static GradeReport grade(Path notebookFile, Options options) {
        long start = System.nanoTime();
        Notebook notebook = Notebook.read(notebookFile);
        String name = notebookFile.getFileName().toString();
        String chapter = notebook.chapter();
        if (chapter == null) {
            throw new IllegalArgumentException(name + " names no chapter in its metadata (\"moelab\": {\"chapter\": \"NN\"}):"
                    + " grade the notebook the course gave you");
        }
        if (options.chapter() != null && !options.chapter().equals(chapter)) {
            throw new IllegalArgumentException(name + " is chapter " + chapter + ", not chapter " + options.chapter());
        }
        Submission submission = Submission.of(notebook);
        Catalogue catalogue = catalogue(options.hiddenTests());
        Set<String> ids = new LinkedHashSet<>();   // the chapter's exercises: the notebook's order first
        submission.exerciseIds().stream().filter(id -> id.startsWith(chapter + "-") && catalogue.tests().containsKey(id)).forEach(ids::add);
        catalogue.ids().stream().filter(id -> id.startsWith(chapter + "-")).forEach(ids::add);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("there are no exercise tests for chapter " + chapter + " (" + name + ")");
        }
        List<String> notes = new ArrayList<>();
        for (String id : submission.exerciseIds()) {
            if (!ids.contains(id)) {
                notes.add("the cell of exercise " + id + " is not graded: " + (id.startsWith(chapter + "-")
                        ? "no tests have that id" : "it is not an exercise of chapter " + chapter));
            }
        }
        if (!options.only().isEmpty()) {
            ids.retainAll(options.only());
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("none of the exercises " + options.only() + " belongs to chapter " + chapter);
            }
        }
        Map<String, SubmissionCompiler.Compiled> compiled =
                SubmissionCompiler.compile(submission, ids, options.classpath(), options.workDir());
        Sandbox sandbox = Sandbox.choose(options.isolation());
        List<Path> classpath = new ArrayList<>(options.hiddenTests());
        Arrays.stream(options.classpath().split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).forEach(classpath::add);
        if (sandbox.isolated()) {
            EngineCache.ensure(classpath);
        }
        List<ExerciseResult> results = new ArrayList<>();
        for (String id : ids) {
            SubmissionCompiler.Compiled c = compiled.get(id);
            Duration left = options.total().minusNanos(System.nanoTime() - start);
            ExerciseResult result;
            if (c == null) {
                result = new ExerciseResult(id, ExerciseResult.Status.MISSING, List.of(),
                        "the notebook has no exercise cell " + id + " (tag \"exercise\", metadata moelab.exercise): it scores 0");
            } else if (c.error() != null) {
                result = new ExerciseResult(id, ExerciseResult.Status.COMPILE_ERROR, List.of(), "the cell does not compile:\n" + c.error());
            } else if (options.checkBytecode() && !violations(id, c, catalogue).isEmpty()) {
                result = new ExerciseResult(id, ExerciseResult.Status.FORBIDDEN, List.of(),
                        "the cell uses what this exercise may not:\n" + String.join("\n", violations(id, c, catalogue)));
            } else if (left.isNegative() || left.isZero()) {
                result = new ExerciseResult(id, ExerciseResult.Status.TIMEOUT, List.of(),
                        "not run: the total time budget of " + options.total().toSeconds() + " s was spent");
            } else {
                Duration limit = left.compareTo(options.timeout()) < 0 ? left : options.timeout();
                result = ExerciseRun.run(id, c.classes(), catalogue.tests().get(id), sandbox, classpath,
                        options.workDir().resolve(id), new ExerciseRun.Limits(limit, options.memoryBytes()));
                result = withCellLines(result, submission, c, id);
            }
            results.add(result);
        }
        return new GradeReport(name, chapter, results, notes, sandbox.description(), options.describe());
    }

    private static List<String> violations(String id, SubmissionCompiler.Compiled c, Catalogue catalogue) {
        return BytecodeCheck.violations(c.classes(), ForbiddenCalls.forExercise(id, catalogue.forbids().getOrDefault(id, Set.of())));
    }

    /** Failure messages point into the cell ("line 3 of the cell"), not into the generated source. */
    private static ExerciseResult withCellLines(ExerciseResult r, Submission submission, SubmissionCompiler.Compiled c, String id) {
        List<String> cells = new ArrayList<>(c.helpers());
        cells.add(id);
        List<ExerciseMain.TestRecord> tests = r.tests().stream().map(t -> new ExerciseMain.TestRecord(t.name(), t.status(),
                t.message() == null ? null : cellLines(t.message(), submission, cells, id))).toList();
        return new ExerciseResult(r.id(), r.status(), tests, r.message());
    }

    private static String cellLines(String message, Submission submission, List<String> cells, String id) {
        Matcher m = SOURCE_LINE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Submission.Origin o = submission.origin(cells, Long.parseLong(m.group(1)));
            String where = o.exerciseId() == null ? m.group() : "(line " + o.cellLine() + " of "
                    + (o.exerciseId().equals(id) ? "the cell" : "cell " + o.exerciseId()) + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(where));
        }
        return m.appendTail(out).toString();
    }

    /** The repository root: system property {@code moelab.root}, else the working directory. */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("moelab.root", ".")).toAbsolutePath().normalize();
    }

    /** Command-line entry point: {@link GradeCommand}. */
    public static void main(String[] args) {
        System.exit(GradeCommand.run(args));
    }
}
