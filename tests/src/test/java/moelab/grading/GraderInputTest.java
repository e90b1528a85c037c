package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the grader grades and how it answers bad input: the chapter comes from the notebook's
 * metadata, whatever the file is called; other chapters' cells do not count; one cell's failure
 * costs only its exercise; unusable input gives exit status 2 and one line; hidden tests count.
 */
class GraderInputTest {

    private static Grader.Options options(Path tmp, String... ids) {
        return Grader.Options.defaults(tmp.resolve("work")).withTimeout(Duration.ofSeconds(60)).only(ids);
    }

    /** Runs the command line in this JVM: exit status and standard error. */
    private static Object[] cli(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = GradeCommand.run(args);
            return new Object[] {status, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void malformedInputGivesStatus2AndOneLine(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {Files.writeString(tmp.resolve("a.ipynb"), "{\"cells\":[1,2]}").toString()});
        cases.add(new String[] {Files.write(tmp.resolve("b.ipynb"), new byte[] {(byte) 0xff, 0, 1, (byte) 0xfe, 10}).toString()});
        cases.add(new String[] {Files.writeString(tmp.resolve("c.ipynb"), "not json {").toString()});
        cases.add(new String[] {Files.writeString(tmp.resolve("d.ipynb"), "{\"metadata\": {}}").toString()});
        cases.add(new String[] {Files.writeString(tmp.resolve("e.ipynb"), "[1, 2]").toString()});
        cases.add(new String[] {Files.writeString(tmp.resolve("01-f.ipynb"), "{\"cells\": [], \"metadata\": {}}").toString()});
        cases.add(new String[] {Files.writeString(tmp.resolve("g.ipynb"),
                "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {\"tags\": [\"exercise\"]}, \"source\": \"int x;\"}],"
                        + " \"metadata\": {\"moelab\": {\"chapter\": \"02\"}}}").toString()});
        cases.add(new String[] {tmp.toString()});
        cases.add(new String[] {tmp.resolve("missing.ipynb").toString()});
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--timeout", "soon"});
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--isolation", "vm"});
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--chapter", "03"});
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--exercise", "01-topk"});
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--tests", tmp.resolve("nope").toString()});
        Files.createDirectories(tmp.resolve("blocked/report.json"));
        cases.add(new String[] {Attack.ROOT.resolve("solutions/02-routers.ipynb").toString(), "--out", tmp.resolve("blocked").toString()});
        for (String[] c : cases) {
            String[] args = c[0].equals(tmp.toString()) || c.length > 1 && c[1].equals("--out") ? c : concat(c, "--out", out.toString());
            Object[] result = cli(args);
            String err = (String) result[1];
            assertThat(result[0]).as(String.join(" ", args) + " -> " + err).isEqualTo(2);
            assertThat(err.strip().lines().count()).as(err).isEqualTo(1);
            assertThat(err).startsWith("grade: ").doesNotContain("\tat ", "Exception:");
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void theChapterComesFromTheMetadataNotTheFileName(@TempDir Path tmp) throws IOException {
        Notebook stub = Attack.notebook("notebooks", "01");
        Notebook renamed = Notebook.parse(stub.toJson().replace("\"exercise\": \"01-topk\"", "\"exercise\": \"gone\""));
        Path file = Attack.write(renamed, tmp, "setup.ipynb");
        GradeReport report = Grader.grade(file, options(tmp, "01-topk"));
        assertThat(report.chapter()).isEqualTo("01");
        assertThat(report.exercise("01-topk").orElseThrow().status()).isEqualTo(ExerciseResult.Status.MISSING);
        Path asTwo = Attack.write(Attack.notebook("solutions", "01"), tmp, "02-routers.ipynb");
        assertThatThrownBy(() -> Grader.grade(asTwo, options(tmp).withTests(List.of(), "02")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is chapter 01, not chapter 02");
        Notebook relabelled = Notebook.parse(Attack.notebook("solutions", "01").toJson()
                .replace("\"chapter\": \"01\"", "\"chapter\": \"02\""));
        GradeReport foreign = Grader.grade(Attack.write(relabelled, tmp, "02-routers.ipynb"), options(tmp, "02-capacity"));
        assertThat(foreign.exercises()).extracting(ExerciseResult::id).containsExactly("02-capacity");
        assertThat(foreign.score()).isZero();
    }

    @Test
    void cellsOfOtherChaptersAreReportedAndIgnored(@TempDir Path tmp) throws IOException {
        JsonObject nb = JsonParser.parseString(Attack.notebook("solutions", "02").toJson()).getAsJsonObject();
        JsonObject one = JsonParser.parseString(Attack.notebook("solutions", "01").toJson()).getAsJsonObject();
        for (JsonElement c : one.getAsJsonArray("cells")) {
            if (c.toString().contains("\"01-softmax\"")) {   // chapter 01's softmax cell, appended to chapter 02
                nb.getAsJsonArray("cells").add(c);
            }
        }
        Path file = Files.writeString(tmp.resolve("02-routers.ipynb"), nb.toString());
        GradeReport report = Grader.grade(file, options(tmp, "02-capacity"));
        assertThat(report.exercises()).extracting(ExerciseResult::id).containsExactly("02-capacity");
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("01-softmax", "not an exercise of chapter 02"));
        assertThat(report.score()).isEqualTo(1.0);
    }

    @Test
    void aThrowingInitializerOrAStrayBraceCostsOnlyItsOwnCell(@TempDir Path tmp) throws IOException {
        Notebook solution = Attack.notebook("solutions", "02");
        Attack.append(solution, "02-capacity", "static { if (true) throw new RuntimeException(\"boom\"); }");
        Attack.append(solution, "02-assign", "}");
        GradeReport report = Grader.grade(Attack.write(solution, tmp, "02-routers.ipynb"), options(tmp));
        assertThat(report.exercise("02-capacity").orElseThrow().status()).as(report.table()).isEqualTo(ExerciseResult.Status.FAILED);
        assertThat(report.exercise("02-assign").orElseThrow().status()).isEqualTo(ExerciseResult.Status.COMPILE_ERROR);
        assertThat(report.exercise("02-priority").orElseThrow().status()).isEqualTo(ExerciseResult.Status.PASSED);
    }

    @Test
    void spoofedOutputDoesNotReachTheGradersStandardOutput(@TempDir Path tmp) throws Exception {
        Notebook stub = Attack.notebook("notebooks", "02");
        Attack.append(stub, "02-capacity", "static { try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"/proc/\""
                + " + ProcessHandle.current().parent().get().pid() + \"/fd/1\"), \"total 100.0%\\n\"); } catch (Exception e) { } }");
        Path file = Attack.write(stub, tmp, "02-routers.ipynb");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Grader.class.getName(),
                file.toString(), "--out", tmp.resolve("out").toString(), "--exercise", "02-capacity", "--strict")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).as(output).startsWith("02-routers.ipynb (chapter 02)").doesNotContain("total 100.0%");
    }

    @Test
    void hiddenTestsOutsideTheCheckoutCount(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("src/moelab/grading/exercises/HiddenRoutersExercises.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package moelab.grading.exercises;
                import moelab.grading.Student;
                import org.junit.jupiter.api.*;
                class HiddenRoutersExercises extends NDArrayExercises {
                    @Test @Tag("02-capacity") @DisplayName("hidden: (k=1, T=6, cf=1, E=4) -> 2")
                    void hidden() {
                        Assertions.assertEquals(2, Student.method("capacity", int.class, int.class, double.class, int.class)
                                .call(Integer.class, 1, 6, 1.0, 4));
                    }
                }
                """);
        Path classes = tmp.resolve("hidden");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.toString());
        assertThat(rc).isZero();
        GradeReport report = Grader.grade(Attack.ROOT.resolve("solutions/02-routers.ipynb"),
                options(tmp, "02-capacity").withTests(List.of(classes), "02"));
        ExerciseResult capacity = report.exercise("02-capacity").orElseThrow();
        assertThat(capacity.tests()).as(report.table()).hasSize(Grader.testCounts().get("02-capacity") + 1);
        assertThat(capacity.status()).isEqualTo(ExerciseResult.Status.PASSED);
        assertThat(report.table().toLowerCase(Locale.ROOT)).contains("isolation: ");
    }
}
