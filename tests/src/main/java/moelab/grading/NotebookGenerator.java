package moelab.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the student notebooks {@code notebooks/NN-topic.ipynb} from the instructor notebooks
 * {@code solutions/NN-topic.ipynb}: in every exercise cell each part between a
 * {@code // BEGIN SOLUTION} line and an {@code // END SOLUTION} line becomes
 * {@code throw new UnsupportedOperationException("exercise <id>");}. Solution notebooks are stored
 * executed; the student copy keeps the outputs of demo cells (prose, tables, figures) and clears
 * those of exercise cells and of cells tagged {@code answer} (whose output would give an answer away).
 * With {@code --check} nothing is written and the exit status says whether {@code notebooks/} is
 * up to date and every solution's stored outputs are complete and clean ({@link StoredOutputs}).
 * {@code --record-run FILE=SECONDS} (used by {@code ./moelab notebooks --execute}) writes a
 * default-mode run's time into a solution's first cell and metadata.
 */
@Command(
        name = "notebooks",
        mixinStandardHelpOptions = true,
        description = "Generate notebooks/ from solutions/ (or check that it is up to date).")
public final class NotebookGenerator implements Callable<Integer> {

    static final String BEGIN = "// BEGIN SOLUTION";
    static final String END = "// END SOLUTION";
    private static final Pattern NAME = Pattern.compile("(\\d\\d)-[a-z0-9-]+\\.ipynb");

    @Option(names = "--check", description = "Fail if notebooks/ differs from what would be generated.")
    boolean check;

    @Option(names = "--root", description = "Repository root (default: ${DEFAULT-VALUE}).")
    Path root = Grader.repositoryRoot();

    @Option(names = "--allow-unexecuted", description = "With --check, do not require stored outputs in solutions/.")
    boolean allowUnexecuted;

    @Option(names = "--record-run", paramLabel = "FILE=SECONDS",
            description = "Record a default-mode run time in a solution notebook (repeatable).")
    Map<Path, Integer> runs = new LinkedHashMap<>();

    /** Command-line entry point ({@code ./moelab notebooks [--check]}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new NotebookGenerator()).execute(args));
    }

    @Override
    public Integer call() {
        runs.forEach(RunTime::record);
        Path solutions = root.resolve("solutions");
        Path notebooks = root.resolve("notebooks");
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Path solution : ipynbFiles(solutions)) {
            String name = solution.getFileName().toString();
            names.add(name);
            Path target = notebooks.resolve(name);
            String generated;
            try {
                Notebook source = Notebook.read(solution);
                for (String problem : StoredOutputs.problems(source)) {
                    if (check && !allowUnexecuted) {
                        problems.add("solutions/" + name + ": " + problem);
                    } else {
                        System.err.println("warning: solutions/" + name + ": " + problem);
                    }
                }
                Notebook student = studentVersion(source, name);
                for (Notebook.Cell cell : student.exerciseCells()) {
                    if (!ids.add(cell.exerciseId())) {
                        throw new IllegalArgumentException("exercise id " + cell.exerciseId() + " is used twice");
                    }
                }
                generated = student.toJson();
            } catch (IllegalArgumentException e) {
                problems.add("solutions/" + name + ": " + e.getMessage());
                continue;
            }
            String existing = read(target);
            if (generated.equals(existing)) {
                continue;
            }
            if (check) {
                problems.add("notebooks/" + name + " is " + (existing == null ? "missing" : "out of date"));
            } else {
                write(target, generated);
                System.out.println("wrote notebooks/" + name);
            }
        }
        for (Path student : ipynbFiles(notebooks)) {
            if (!names.contains(student.getFileName().toString())) {
                problems.add("notebooks/" + student.getFileName() + " has no solutions/ counterpart; delete it");
            }
        }
        if (problems.isEmpty()) {
            System.out.println("notebooks/ is up to date with solutions/ (" + names.size() + " notebooks)");
            return 0;
        }
        problems.forEach(p -> System.err.println("error: " + p));
        if (check) {
            System.err.println("Run ./moelab notebooks --execute (or ./moelab notebooks after editing a solution), then commit both.");
        }
        return 1;
    }

    /**
     * The student version of a solution notebook: solution bodies replaced by stubs, the outputs of
     * exercise cells and of cells tagged {@code answer} cleared.
     *
     * @param fileName the notebook's file name, {@code NN-topic.ipynb}; exercise ids must start with
     *     {@code NN-}
     * @throws IllegalArgumentException for a malformed exercise cell
     */
    public static Notebook studentVersion(Notebook solution, String fileName) {
        Matcher name = NAME.matcher(fileName);
        if (!name.matches()) {
            throw new IllegalArgumentException("notebook names look like NN-topic.ipynb (lower case), not " + fileName);
        }
        Notebook student = solution.copy();
        for (Notebook.Cell cell : student.cells()) {
            String id = cell.exerciseId();
            if (id != null) {
                if (!id.matches(name.group(1) + "-[a-z0-9-]+")) {
                    throw new IllegalArgumentException("exercise id '" + id + "' must look like "
                            + name.group(1) + "-name (lower case, the notebook's number first)");
                }
                cell.setSource(stubbed(cell.source(), id));
            }
            if (id != null || cell.hasTag("answer")) {
                cell.clearOutputs();
            }
        }
        return student;
    }

    /** The stub statement that replaces a solution body. */
    public static String stub(String id) {
        return "throw new UnsupportedOperationException(\"exercise " + id + "\");";
    }

    /** Replaces each {@code BEGIN SOLUTION ... END SOLUTION} region of a cell by the stub. */
    static String stubbed(String source, String id) {
        String[] lines = source.split("\n", -1);
        StringBuilder out = new StringBuilder();
        int regions = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int begin = line.indexOf(BEGIN);
            if (begin < 0) {
                if (line.contains(END)) {
                    throw new IllegalArgumentException("exercise " + id + ": " + END + " without " + BEGIN);
                }
                out.append(line).append('\n');
                continue;
            }
            int j = i;
            while (j < lines.length && !lines[j].substring(j == i ? begin : 0).contains(END)) {
                j++;
            }
            if (j == lines.length) {
                throw new IllegalArgumentException("exercise " + id + ": " + BEGIN + " without " + END);
            }
            String indent = leadingWhitespace(line);
            String before = line.substring(0, begin).stripTrailing();
            if (!before.isBlank()) {
                out.append(before).append('\n');
                indent += "    ";
            }
            out.append(indent).append(stub(id)).append('\n');
            String endLine = lines[j];
            String after = endLine.substring(endLine.indexOf(END, j == i ? begin : 0) + END.length()).strip();
            if (!after.isEmpty()) {
                out.append(leadingWhitespace(endLine)).append(after).append('\n');
            }
            regions++;
            i = j;
        }
        if (regions == 0) {
            throw new IllegalArgumentException("exercise cell " + id + " has no " + BEGIN + " ... " + END + " region");
        }
        return out.substring(0, out.length() - 1);
    }

    private static String leadingWhitespace(String line) {
        int n = 0;
        while (n < line.length() && Character.isWhitespace(line.charAt(n))) {
            n++;
        }
        return line.substring(0, n);
    }

    static List<Path> ipynbFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
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
