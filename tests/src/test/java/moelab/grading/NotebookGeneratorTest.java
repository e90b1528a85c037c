package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
        assertThat(student.toJson()).doesNotContain("\"hi\\n\"").contains("\"execution_count\": null");
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
        check.root = Grader.repositoryRoot();
        assertThat(check.call()).as("notebooks/ is generated from solutions/: run ./moelab notebooks").isZero();
    }
}
