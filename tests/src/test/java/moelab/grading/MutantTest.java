package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deliberately wrong implementations ({@code src/test/resources/mutants/*.jsh}) are caught. Each
 * mutant names its exercise and the status it must get ({@code // exercise: ID},
 * {@code // expect: STATUS}); it replaces that exercise's cell in the solution notebook, and the
 * result must be that status with less than full marks. Infinite loops and {@code System.exit}
 * must be reported, not take the grader down.
 */
class MutantTest {

    private static final Path MUTANTS = Grader.repositoryRoot().resolve("tests/src/test/resources/mutants");
    private static final Pattern EXERCISE = Pattern.compile("// exercise: (\\S+)");
    private static final Pattern EXPECT = Pattern.compile("// expect: (\\S+)");

    static List<String> mutants() throws IOException {
        try (Stream<Path> files = Files.list(MUTANTS)) {
            List<String> list = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsh")).sorted().toList();
            assertThat(list).as("mutants in " + MUTANTS).hasSizeGreaterThanOrEqualTo(5);
            return list;
        }
    }

    /** The solution notebook the exercise belongs to, with the exercise cell replaced. */
    static Path mutate(String exercise, String source, Path dir) throws IOException {
        String number = exercise.substring(0, 2);
        Path solution = NotebookGenerator.ipynbFiles(Grader.repositoryRoot().resolve("solutions")).stream()
                .filter(p -> p.getFileName().toString().startsWith(number + "-")).findFirst().orElseThrow();
        Notebook notebook = Notebook.read(solution);
        Notebook.Cell cell = notebook.exerciseCells().stream()
                .filter(c -> c.exerciseId().equals(exercise)).findFirst().orElseThrow();
        cell.setSource(source);
        Path file = dir.resolve(solution.getFileName());
        Files.createDirectories(dir);
        notebook.write(file);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void mutantIsCaught(String mutant, @TempDir Path tmp) throws IOException {
        String source = Files.readString(MUTANTS.resolve(mutant));
        String exercise = find(EXERCISE, source);
        ExerciseResult.Status expected = ExerciseResult.Status.valueOf(find(EXPECT, source));
        Duration timeout = Duration.ofSeconds(expected == ExerciseResult.Status.TIMEOUT ? 15 : 120);
        Path notebook = mutate(exercise, source, tmp);
        GradeReport report = Grader.grade(notebook, Grader.Options.defaults(tmp.resolve("work"))
                .withTimeout(timeout).only(exercise));
        ExerciseResult result = report.exercise(exercise).orElseThrow();
        assertThat(result.status()).as(report.table()).isEqualTo(expected);
        assertThat(result.score()).as(report.table()).isLessThan(1.0);
        assertThat(result.message() != null || result.tests().stream().anyMatch(t -> t.message() != null))
                .as("the student is told what went wrong").isTrue();
    }

    @Test
    void aCompileErrorCostsOnlyItsOwnExercise(@TempDir Path tmp) throws IOException {
        Path notebook = mutate("01-topk", Files.readString(MUTANTS.resolve("topk-compile-error.jsh")), tmp);
        GradeReport report = Grader.grade(notebook, Grader.Options.defaults(tmp.resolve("work"))
                .only("01-topk", "01-capacity"));
        ExerciseResult broken = report.exercise("01-topk").orElseThrow();
        assertThat(broken.status()).isEqualTo(ExerciseResult.Status.COMPILE_ERROR);
        assertThat(broken.message()).contains("line 5 of the cell", "';' expected");
        assertThat(report.exercise("01-capacity").orElseThrow().status()).as(report.table())
                .isEqualTo(ExerciseResult.Status.PASSED);
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("mutant header " + pattern).isTrue();
        return m.group(1);
    }
}
