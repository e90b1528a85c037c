package moelab.grading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./moelab grade NOTEBOOK.ipynb [options]}: grades a notebook with the {@link Grader},
 * prints the table and writes {@code report.json} and {@code junit.xml}.
 *
 * <p>Exit status: 0 at full marks (and, without {@code --strict}, whenever grading worked), 1 below
 * full marks with {@code --strict}, 2 when the submission or the arguments are unusable; then one
 * line says what is wrong (a stack trace only with {@code --debug}).
 */
@Command(name = "grade", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grade the exercises of a notebook's chapter (from its metadata).",
            "Exit status: 0 full marks (any score without --strict);",
            "1 below full marks with --strict; 2 unusable notebook or arguments."})
public final class GradeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NOTEBOOK", description = "The notebook (.ipynb) to grade.")
    Path notebook;

    @Option(names = "--out", paramLabel = "DIR", description = "Where report.json, junit.xml and work/ go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("grade-report");

    @Option(names = "--exercise", paramLabel = "ID", description = "Grade only this exercise (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit of one exercise's tests (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Option(names = "--total-timeout", paramLabel = "SECONDS",
            description = "Time budget of the whole grading; exercises left when it is spent score 0 (default: ${DEFAULT-VALUE}).")
    int totalSeconds = 1200;

    @Option(names = "--memory-mb", paramLabel = "MIB",
            description = "Resident memory cap of one exercise's run, Java heap and native (PyTorch) memory of all its processes;"
                    + " the run is stopped above it (default: ${DEFAULT-VALUE}).")
    long memoryMb = 3072;

    @Option(names = "--isolation", paramLabel = "MODE",
            description = "auto (bwrap when this machine allows user namespaces, else none), bwrap (required), none (default: ${DEFAULT-VALUE}).")
    String isolation = "auto";

    @Option(names = "--tests", paramLabel = "PATH",
            description = "A directory of classes or a jar with more exercise tests (package moelab.grading.exercises),"
                    + " e.g. hidden tests kept outside the students' copy; its classes replace built-in ones of the same name (repeatable).")
    List<Path> tests = new ArrayList<>();

    @Option(names = "--chapter", paramLabel = "NN", description = "Refuse (exit 2) a notebook of another chapter.")
    String chapter;

    @Option(names = "--strict", description = "Exit with status 1 unless every exercise passes.")
    boolean strict;

    @Option(names = "--debug", description = "Print stack traces of internal errors.")
    boolean debug;

    /** Runs the command line; returns the exit status. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new GradeCommand());
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("grade: " + e.getMessage().lines().findFirst().orElse("bad arguments") + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            GradeCommand command = line.getCommand();
            boolean user = e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException;
            System.err.println("grade: " + (user ? "" : "internal error: ") + oneLine(e));
            if (command.debug) {
                e.printStackTrace();
            }
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (Throwable e) {   // an Error (stack overflow, out of memory) escapes picocli's handlers
            System.err.println("grade: internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        }
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(notebook)) {
            throw new IllegalArgumentException(Files.isDirectory(notebook) ? notebook + " is a directory, not a notebook"
                    : "no such notebook: " + notebook);
        }
        if (timeoutSeconds < 1 || totalSeconds < 1 || memoryMb < 64) {
            throw new IllegalArgumentException("--timeout and --total-timeout must be at least 1 s, --memory-mb at least 64");
        }
        if (chapter != null && !chapter.matches("\\d\\d")) {
            throw new IllegalArgumentException("--chapter must be two digits, e.g. 02");
        }
        checkWritable(out);
        Grader.Options options = new Grader.Options(Duration.ofSeconds(timeoutSeconds), Set.copyOf(only),
                System.getProperty("java.class.path"), out.resolve("work"), Duration.ofSeconds(totalSeconds),
                memoryMb << 20, Sandbox.mode(isolation), List.copyOf(tests), chapter, true);
        GradeReport report = Grader.grade(notebook, options);
        report.write(out);
        System.out.print(report.table());
        System.out.println("\nreports: " + out.resolve("report.json") + ", " + out.resolve("junit.xml")
                + "; compiled cells under " + out.resolve("work"));
        return report.score() >= 1 ? 0 : strict ? 1 : 0;
    }

    /** Fails before grading when the reports could not be written. */
    private static void checkWritable(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
        for (String name : List.of("report.json", "junit.xml", "work")) {
            Path p = out.resolve(name);
            boolean wrongKind = name.equals("work") ? Files.exists(p) && !Files.isDirectory(p) : Files.isDirectory(p);
            if (wrongKind) {
                throw new IllegalArgumentException("cannot write the report: " + p + " is in the way (a "
                        + (Files.isDirectory(p) ? "directory" : "file") + ")");
            }
        }
        if (Files.exists(out) && !Files.isWritable(out)) {
            throw new IllegalArgumentException("cannot write the report: " + out + " is not writable");
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String first = message.lines().findFirst().orElse(message);
        if (e.getCause() != null && e instanceof java.io.UncheckedIOException) {
            first += ": " + e.getCause().getMessage();
        }
        return e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException ? first
                : e.getClass().getSimpleName() + ": " + first;
    }
}
