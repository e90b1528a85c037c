package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The student-notebook generator: stubs, outputs, ids, stable JSON, and notebooks/ up to date. */
class NotebookGeneratorTest {

    private static final String STUB = "throw new UnsupportedOperationException(\"exercise 01-f\");";

    @Test
    void replacesASolutionRegionOnItsOwnLines() {
        String cell = "int f(int x) {\n    // BEGIN SOLUTION\n    int y = x + 1;\n    return y;\n    // END SOLUTION\n}";
        assertThat(NotebookGenerator.stubbed(cell, "01-f")).isEqualTo("int f(int x) {\n    " + STUB + "\n}");
    }

    @Test
    void replacesAnInlineSolutionRegionAndKeepsTheCodeAroundIt() {
        String cell = "int f(int x) { // BEGIN SOLUTION\n    return x + 1;\n// END SOLUTION }\nint g() { return 2; }";
        assertThat(NotebookGenerator.stubbed(cell, "01-f"))
                .isEqualTo("int f(int x) {\n    " + STUB + "\n}\nint g() { return 2; }");
    }

    @Test
    void replacesEveryRegionOfACell() {
        String cell = "// BEGIN SOLUTION\na\n// END SOLUTION\nkeep\n  // BEGIN SOLUTION\n  b\n  // END SOLUTION";
        assertThat(NotebookGenerator.stubbed(cell, "01-f")).isEqualTo(STUB + "\nkeep\n  " + STUB);
    }

    @Test
    void rejectsUnbalancedOrMissingMarkers() {
        assertThatThrownBy(() -> NotebookGenerator.stubbed("// BEGIN SOLUTION\nx", "01-f")).hasMessageContaining("without");
        assertThatThrownBy(() -> NotebookGenerator.stubbed("x\n// END SOLUTION", "01-f")).hasMessageContaining("without");
        assertThatThrownBy(() -> NotebookGenerator.stubbed("int f() { return 1; }", "01-f")).hasMessageContaining("no // BEGIN");
    }

    @Test
    void studentVersionKeepsDemoOutputsAndClearsExerciseAndAnswerOutputs() {
        Notebook solution = Notebook.parse("""
                {"cells": [
                  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["demo\\n"]}], "source": ["int a = 1;"]},
                  {"cell_type": "code", "execution_count": 2, "metadata": {"tags": ["answer"]}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["42\\n"]}], "source": ["f()"]},
                  {"cell_type": "code", "execution_count": 3, "metadata": {"tags": ["exercise"], "moelab": {"exercise": "01-f"}}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["secret\\n"]}],
                   "source": ["int f() {\\n", "    // BEGIN SOLUTION\\n", "    return 42;\\n", "    // END SOLUTION\\n", "}"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}""");
        String student = NotebookGenerator.studentVersion(solution, "01-topic.ipynb").toJson();
        assertThat(student).contains("demo").doesNotContain("42").doesNotContain("secret");
    }

    @Test
    void storedOutputsMustBeCompleteAndClean() {
        Notebook notebook = Notebook.parse("""
                {"cells": [
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["int a = 1;"]},
                  {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [{"output_type": "execute_result", "data": {"text/html": ["3f704199-e2f9-4be6-9af8-06259be76892"]}}], "source": ["display(x);"]},
                  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [{"output_type": "execute_result", "data": {"text/html": ["java.io.PrintStream@1b2c3d4"]}}], "source": ["System.out.printf(\\"x\\")"]},
                  {"cell_type": "code", "execution_count": 4, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stderr", "text": ["[main] INFO ai.djl.pytorch.engine.PtEngine - loaded\\n"]}], "source": ["m()"]},
                  {"cell_type": "code", "execution_count": 5, "metadata": {}, "outputs": [{"output_type": "error", "ename": "E", "evalue": "boom", "traceback": []}], "source": ["n()"]},
                  {"cell_type": "code", "execution_count": 6, "metadata": {}, "outputs": [{"output_type": "execute_result", "data": {"text/html": ["<table></table>"]}}], "source": ["HtmlTable.of(t)"]},
                  {"cell_type": "markdown", "metadata": {}, "source": ["# fine"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}""");
        assertThat(StoredOutputs.problems(notebook)).satisfiesExactly(
                p -> assertThat(p).startsWith("cell 1 has not been executed"),
                p -> assertThat(p).startsWith("cell 2 shows a stray value Out = 3f704199"),
                p -> assertThat(p).startsWith("cell 3 shows a stray value Out = java.io.PrintStream@1b2c3d4"),
                p -> assertThat(p).startsWith("cell 4 shows a log line: [main] INFO ai.djl"),
                p -> assertThat(p).isEqualTo("cell 5 stored an error: boom"));
    }

    @Test
    void aRunTimeIsRecordedInTheFirstCellAndTheMetadata(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("01-x.ipynb");
        Files.writeString(file, """
                {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# 01\\n", "Reference run: not yet.\\n", "More."]}],
                 "metadata": {"moelab": {"chapter": "01"}}, "nbformat": 4, "nbformat_minor": 4}""");
        RunTime.record(file, 150);
        Notebook notebook = Notebook.read(file);
        assertThat(notebook.cells().get(0).source()).contains("Reference run: default mode, ").contains("-core CPU, about 3 min (executed ")
                .endsWith(").\nMore.");
        assertThat(notebook.metadata().getAsJsonObject("moelab").getAsJsonObject("run").get("seconds").getAsInt()).isEqualTo(150);
        assertThat(notebook.metadata().getAsJsonObject("moelab").get("chapter").getAsString()).isEqualTo("01");
        assertThat(RunTime.line(45, 2, "2026-01-01")).isEqualTo("Reference run: default mode, 2-core CPU, 45 s (executed 2026-01-01).");
    }

    @Test
    void studentVersionStubsExercisesClearsOutputsAndChecksIds() {
        Notebook solution = Notebook.parse("""
                {"cells": [
                  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hi\\n"]}], "source": ["int a = 1;"]},
                  {"cell_type": "code", "execution_count": 4, "metadata": {"tags": ["exercise"], "moelab": {"exercise": "01-f"}}, "outputs": [],
                   "source": ["int f() {\\n", "    // BEGIN SOLUTION\\n", "    return 1;\\n", "    // END SOLUTION\\n", "}"]},
                  {"cell_type": "markdown", "metadata": {}, "source": ["# title"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}""");
        Notebook student = NotebookGenerator.studentVersion(solution, "01-topic.ipynb");
        assertThat(student.cells().get(1).source()).isEqualTo("int f() {\n    " + STUB + "\n}");
        assertThat(student.cells().get(0).source()).isEqualTo("int a = 1;");
        assertThat(student.toJson()).contains("\"hi\\n\"").contains("\"execution_count\": null");
        assertThat(solution.cells().get(1).source()).as("the solution is left alone").contains("return 1;");
        assertThat(Notebook.parse(student.toJson()).toJson()).as("stable output").isEqualTo(student.toJson());
        assertThat(student.toJson()).startsWith("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\"");
        assertThatThrownBy(() -> NotebookGenerator.studentVersion(solution, "02-topic.ipynb"))
                .hasMessageContaining("must look like 02-name");
        assertThatThrownBy(() -> NotebookGenerator.studentVersion(solution, "Topic.ipynb"))
                .hasMessageContaining("NN-topic.ipynb");
    }

    @Test
    void notebooksAreUpToDateWithSolutions() {
        NotebookGenerator check = new NotebookGenerator();
        check.check = true;
        check.allowUnexecuted = true;
        check.root = Grader.repositoryRoot();
        assertThat(check.call()).as("notebooks/ is generated from solutions/: run ./moelab notebooks").isZero();
    }
}
