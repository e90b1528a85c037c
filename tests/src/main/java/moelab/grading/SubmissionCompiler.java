package moelab.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a {@link Submission} with {@code javax.tools} against the toolkit. A cell that does not
 * compile is left out and the rest compiled again, so one broken exercise costs only its own
 * points; its errors are kept, per exercise id, with line numbers counted inside the cell.
 */
public final class SubmissionCompiler {

    /**
     * The outcome: the directory holding {@code Submission.class} (null when nothing compiled), the
     * compile errors by exercise id, and the source that finally compiled.
     */
    public record Result(Path classes, Map<String, String> errors, String source) {}

    private SubmissionCompiler() {}

    /**
     * Compiles into {@code dir/classes}; writes the full source to {@code dir/Submission.java}.
     *
     * @param classpath the classpath to compile against (the toolkit and its dependencies)
     */
    public static Result compile(Submission submission, String classpath, Path dir) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the grader needs a JDK, not a JRE (e.g. apt-get install openjdk-17-jdk-headless)");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> badImports = new HashSet<>();
        Submission current = submission;
        Path classes = dir.resolve("classes");
        Path sourceFile = dir.resolve(Submission.CLASS_NAME + ".java");
        while (true) {
            write(sourceFile, current.source());
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean ok;
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                Files.createDirectories(classes);
                List<String> options = List.of("-classpath", classpath, "-d", classes.toString(),
                        "-proc:none", "-nowarn", "-encoding", "UTF-8", "-g");
                ok = javac.getTask(null, files, diagnostics, options, null,
                        files.getJavaFileObjects(sourceFile)).call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (ok) {
                return new Result(classes, errors, current.source());
            }
            Set<String> brokenCells = new HashSet<>();
            Set<String> brokenImports = new HashSet<>();
            StringBuilder unplaced = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Submission.Origin origin = current.origin(d.getLineNumber());
                String message = d.getMessage(Locale.ROOT);
                if (origin.exerciseId() != null) {
                    brokenCells.add(origin.exerciseId());
                    errors.merge(origin.exerciseId(),
                            "line " + origin.cellLine() + " of the cell: " + message, (a, b) -> a + "\n" + b);
                } else if (origin.importLine() != null) {
                    brokenImports.add(origin.importLine());
                    unplaced.append(origin.importLine()).append(": ").append(message).append('\n');
                } else {
                    unplaced.append("line ").append(d.getLineNumber()).append(": ").append(message).append('\n');
                }
            }
            if (brokenCells.isEmpty() && brokenImports.isEmpty()) {
                // An error outside every cell (e.g. an unbalanced brace that ends the class early):
                // nothing can be graded.
                for (String id : current.exerciseIds()) {
                    errors.merge(id, "the exercise cells do not compile together:\n" + unplaced, (a, b) -> a + "\n" + b);
                }
                return new Result(null, errors, current.source());
            }
            badImports.addAll(brokenImports);
            if (!brokenImports.isEmpty()) {
                System.err.println("grader: ignoring import lines that do not compile:\n" + unplaced);
            }
            current = current.without(brokenCells, badImports);
            if (current.exerciseIds().isEmpty()) {
                return new Result(null, errors, current.source());
            }
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
