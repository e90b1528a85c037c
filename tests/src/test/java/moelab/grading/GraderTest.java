package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The grader is real: every solution notebook scores 100%, every untouched student notebook scores
 * 0 on every exercise, and the exercise tests cover exactly the exercises of the notebooks.
 */
class GraderTest {

    static final Path ROOT = Grader.repositoryRoot();

    static List<Path> notebooks(String dir) {
        List<Path> files = NotebookGenerator.ipynbFiles(ROOT.resolve(dir));
        assertThat(files).as("notebooks in " + ROOT.resolve(dir)).isNotEmpty();
        return files;
    }

    @Test
    void everySolutionScoresFullMarks(@TempDir Path tmp) {
        for (Path notebook : notebooks("solutions")) {
            GradeReport report = Grader.grade(notebook, Grader.Options.defaults(tmp.resolve(notebook.getFileName().toString())));
            assertThat(report.exercises()).as(notebook + " has graded exercises").isNotEmpty();
            assertThat(report.exercises()).as(report.table())
                    .allSatisfy(e -> assertThat(e.status()).isEqualTo(ExerciseResult.Status.PASSED));
            assertThat(report.score()).isEqualTo(1.0);
        }
    }

    @Test
    void everyUntouchedStudentNotebookScoresZero(@TempDir Path tmp) {
        for (Path notebook : notebooks("notebooks")) {
            GradeReport report = Grader.grade(notebook, Grader.Options.defaults(tmp.resolve(notebook.getFileName().toString())));
            assertThat(report.exercises()).as(notebook + " has graded exercises").isNotEmpty();
            assertThat(report.exercises()).as(report.table()).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(ExerciseResult.Status.NOT_ATTEMPTED);
                assertThat(e.score()).isZero();
                assertThat(e.tests()).isNotEmpty();
            });
        }
    }

    @Test
    void exerciseTestsMatchTheExercisesOfTheSolutions() {
        Set<String> inNotebooks = new TreeSet<>();
        for (Path notebook : notebooks("solutions")) {
            Notebook.read(notebook).exerciseCells().forEach(c -> inNotebooks.add(c.exerciseId()));
        }
        Map<String, Integer> tests = Grader.testCounts();
        assertThat(tests.keySet()).as("exercise ids with tests").containsExactlyInAnyOrderElementsOf(inNotebooks);
        assertThat(tests.values()).as("tests per exercise").allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
    }

    @Test
    void aDeletedExerciseCellIsGradedAsMissing(@TempDir Path tmp) {
        Notebook notebook = Notebook.read(ROOT.resolve("solutions/01-setup.ipynb"));
        String removed = notebook.exerciseCells().get(0).exerciseId();
        Notebook edited = Notebook.parse(notebook.toJson().replace("\"exercise\": \"" + removed + "\"", "\"exercise\": \"gone\"")
                .replace("\"tags\": [\n     \"exercise\"\n    ]", "\"tags\": []"));
        Path file = tmp.resolve("01-setup.ipynb");
        edited.write(file);
        GradeReport report = Grader.grade(file, Grader.Options.defaults(tmp.resolve("work")).only(removed));
        assertThat(report.exercise(removed).orElseThrow().status()).isEqualTo(ExerciseResult.Status.MISSING);
        assertThat(report.score()).isZero();
    }

    @Test
    void reportsAreValidJsonAndJunitXml() throws Exception {
        ExerciseMain.TestRecord pass = new ExerciseMain.TestRecord("a <b> & \"c\"", "PASSED", null);
        ExerciseMain.TestRecord fail = new ExerciseMain.TestRecord("d", "FAILED", "expected: <1> but was: <2>");
        GradeReport report = new GradeReport("01-x.ipynb", List.of(
                new ExerciseResult("01-a", ExerciseResult.Status.FAILED, List.of(pass, fail), null),
                new ExerciseResult("01-b", ExerciseResult.Status.TIMEOUT, List.of(pass), "stopped after 1 s"),
                new ExerciseResult("01-c", ExerciseResult.Status.COMPILE_ERROR, List.of(), "line 2: ';' expected")));
        assertThat(report.score()).isEqualTo(0.5 / 3);
        assertThat(JsonParser.parseString(report.toJson()).getAsJsonObject().get("score").getAsDouble()).isEqualTo(0.5 / 3);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(report.toJunitXml())));
        assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("5");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("3");
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(5);
        assertThat(xml.getElementsByTagName("error").getLength()).isEqualTo(2);
        assertThat(report.table()).contains("01-b", "timeout", "stopped after 1 s", "compile error");
    }
}
