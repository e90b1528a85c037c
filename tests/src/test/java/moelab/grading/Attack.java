package moelab.grading;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds hostile notebooks for the grader's tests out of the course's own notebooks. */
final class Attack {

    static final Path ROOT = Grader.repositoryRoot();

    private Attack() {}

    /** The solution ({@code solutions}) or student ({@code notebooks}) notebook of a chapter. */
    static Notebook notebook(String dir, String chapter) {
        Path file = NotebookGenerator.ipynbFiles(ROOT.resolve(dir)).stream()
                .filter(p -> p.getFileName().toString().startsWith(chapter + "-")).findFirst().orElseThrow();
        return Notebook.read(file);
    }

    /** The exercise cell of a notebook. */
    static Notebook.Cell cell(Notebook notebook, String id) {
        return notebook.exerciseCells().stream().filter(c -> id.equals(c.exerciseId())).findFirst().orElseThrow();
    }

    /** Puts {@code statements} at the start of the solution's body (after {@code // BEGIN SOLUTION}). */
    static void inject(Notebook notebook, String id, String statements) {
        Notebook.Cell c = cell(notebook, id);
        c.setSource(c.source().replace("// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n" + statements + "\n"));
    }

    /** Adds declarations (a static block, a field) after the cell's code. */
    static void append(Notebook notebook, String id, String declarations) {
        Notebook.Cell c = cell(notebook, id);
        c.setSource(c.source() + "\n" + declarations + "\n");
    }

    /** Writes the notebook under a file name. */
    static Path write(Notebook notebook, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        notebook.write(file);
        return file;
    }

    /** Java statements that run {@code body} (which may throw) and fail loudly if it throws. */
    static String attempt(String what, String body) {
        return "try { " + body + " } catch (Exception attackFailed) { throw new IllegalStateException(\"" + what
                + " failed: \" + attackFailed); }";
    }

    /** Whether a live process has {@code marker} in its command line. */
    static boolean processRunning(String marker) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    String cmd = new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(marker) && !cmd.contains("ExerciseMain") && !cmd.contains("surefire")) {
                        String stat = Files.readString(dir.resolve("stat"));
                        if (!stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                            return true;
                        }
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return false;
    }

    /** Whether bwrap can sandbox the test JVMs on this machine. */
    static boolean sandboxAvailable() {
        return Sandbox.choose(Sandbox.Mode.AUTO).isolated();
    }
}
