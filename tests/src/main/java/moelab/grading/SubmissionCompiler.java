package moelab.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles each exercise cell of a {@link Submission} on its own, with {@code javax.tools}, against
 * the toolkit: {@code <work>/<id>/Submission.java} into {@code <work>/<id>/classes}. A cell that
 * does not compile costs only its own exercise, and its errors are reported with line numbers
 * counted inside that cell.
 *
 * <p>A cell that uses a method another cell declares (which cells should not do) is compiled again
 * together with the cells that declare the missing names, if those compile on their own.
 */
public final class SubmissionCompiler {

    /**
     * One exercise's compilation.
     *
     * @param classes the directory of its classes; null when it does not compile
     * @param error the compile errors, for the student; null when it compiles
     * @param helpers other exercise cells compiled with it because it uses their declarations
     */
    public record Compiled(Path classes, String error, List<String> helpers) {}

    private static final Pattern MISSING_SYMBOL = Pattern.compile("symbol:\\s+(?:method|variable|class)\\s+(\\w+)");

    private SubmissionCompiler() {}

    /**
     * Compiles the cells of the given exercises (those the submission has) one by one.
     *
     * @param classpath the classpath to compile against (the toolkit and its dependencies)
     */
    public static Map<String, Compiled> compile(Submission submission, Collection<String> ids, String classpath, Path work) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the grader needs a JDK, not a JRE (e.g. apt-get install openjdk-17-jdk-headless)");
        }
        Map<String, Attempt> alone = new LinkedHashMap<>();
        for (String id : ids) {
            if (submission.exerciseIds().contains(id)) {
                alone.put(id, attempt(javac, submission, List.of(id), classpath, work.resolve(id)));
            }
        }
        Map<String, Compiled> results = new LinkedHashMap<>();
        for (Map.Entry<String, Attempt> entry : alone.entrySet()) {
            String id = entry.getKey();
            Attempt attempt = entry.getValue();
            if (attempt.error == null) {
                results.put(id, new Compiled(attempt.classes, null, List.of()));
                continue;
            }
            List<String> helpers = helpers(submission, id, attempt.missing, alone);
            if (!helpers.isEmpty()) {
                List<String> together = new ArrayList<>(helpers);
                together.add(id);
                Attempt retry = attempt(javac, submission, together, classpath, work.resolve(id));
                if (retry.error == null) {
                    results.put(id, new Compiled(retry.classes, null, helpers));
                    continue;
                }
            }
            results.put(id, new Compiled(null, attempt.error, List.of()));
        }
        return results;
    }

    /** The other cells, compiling on their own, that declare a name the cell misses. */
    private static List<String> helpers(Submission submission, String id, Set<String> missing, Map<String, Attempt> alone) {
        List<String> helpers = new ArrayList<>();
        for (Map.Entry<String, Attempt> other : alone.entrySet()) {
            if (other.getKey().equals(id) || other.getValue().error != null) {
                continue;
            }
            String source = submission.cell(other.getKey());
            if (missing.stream().anyMatch(name -> Pattern.compile(
                    "\\b" + Pattern.quote(name) + "\\s*(\\(|=|;|\\{|<)").matcher(source).find())) {
                helpers.add(other.getKey());
            }
        }
        return helpers;
    }

    /** A compilation of some cells: its classes, or its errors and the names javac could not find. */
    private record Attempt(Path classes, String error, Set<String> missing) {}

    private static Attempt attempt(JavaCompiler javac, Submission submission, List<String> ids, String classpath, Path dir) {
        String id = ids.get(ids.size() - 1);
        Submission current = submission;
        Set<String> badImports = new HashSet<>();
        StringBuilder importNotes = new StringBuilder();
        while (true) {
            Path classes = dir.resolve("classes");
            Path sourceFile = dir.resolve(Submission.CLASS_NAME + ".java");
            deleteTree(classes);
            write(sourceFile, current.source(ids));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean ok;
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                Files.createDirectories(classes);
                List<String> options = List.of("-classpath", classpath, "-d", classes.toString(),
                        "-proc:none", "-nowarn", "-encoding", "UTF-8", "-g", "-implicit:none");
                ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(sourceFile)).call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {   // javac itself failed on this source
                return new Attempt(null, "the Java compiler failed on this cell: " + e, Set.of());
            }
            if (ok) {
                return new Attempt(classes, null, Set.of());
            }
            StringBuilder errors = new StringBuilder();
            Set<String> brokenImports = new HashSet<>();
            Set<String> missing = new LinkedHashSet<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                String message = d.getMessage(Locale.ROOT);
                Matcher m = MISSING_SYMBOL.matcher(message);
                while (m.find()) {
                    missing.add(m.group(1));
                }
                Submission.Origin origin = current.origin(ids, d.getLineNumber());
                if (origin.importLine() != null) {
                    brokenImports.add(origin.importLine());
                    importNotes.append("(import line \"").append(origin.importLine()).append("\" ignored: ")
                            .append(message.lines().findFirst().orElse("")).append(")\n");
                } else if (origin.exerciseId() != null) {
                    String where = origin.exerciseId().equals(id) ? "the cell" : "cell " + origin.exerciseId();
                    errors.append("line ").append(origin.cellLine()).append(" of ").append(where).append(": ")
                            .append(message).append('\n');
                } else {
                    errors.append("after the end of the cell (are its braces balanced?): ").append(message).append('\n');
                }
            }
            if (!brokenImports.isEmpty() && badImports.addAll(brokenImports)) {
                current = submission.withoutImports(badImports);
                continue;
            }
            String text = errors.isEmpty() ? importNotes.toString() : errors + importNotes.toString();
            return new Attempt(null, text.strip(), missing);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
