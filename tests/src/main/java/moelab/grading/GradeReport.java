package moelab.grading;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The grades of one notebook: a score table for people, and JUnit XML plus JSON for machines
 * (GitHub Classroom, CI). Every text that came from the submission is stripped of control
 * characters and indented under its exercise, so it cannot pass for the grader's own lines.
 *
 * @param notebook the graded notebook
 * @param chapter the chapter graded (from the notebook's metadata)
 * @param exercises one result per exercise of the chapter, in catalogue order
 * @param notes things the student should know that do not change the score (ignored cells)
 * @param isolation how the submission was isolated
 * @param limits the time and memory limits it ran under
 */
public record GradeReport(String notebook, String chapter, List<ExerciseResult> exercises, List<String> notes,
        String isolation, String limits) {

    /** A report with no chapter, notes, isolation or limits (for tests of the report itself). */
    public GradeReport(String notebook, List<ExerciseResult> exercises) {
        this(notebook, null, exercises, List.of(), "", "");
    }

    /** Mean exercise score in {@code [0, 1]}; each exercise weighs the same. */
    public double score() {
        return exercises.stream().mapToDouble(ExerciseResult::score).average().orElse(0);
    }

    /** The result of one exercise. */
    public Optional<ExerciseResult> exercise(String id) {
        return exercises.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The table printed after grading, with every problem spelled out below it. */
    public String table() {
        StringBuilder out = new StringBuilder(clean(notebook));
        out.append(chapter == null ? "" : " (chapter " + chapter + ")").append('\n');
        out.append(String.format(Locale.ROOT, "%-28s %7s %6s  %s%n", "exercise", "tests", "score", "status"));
        for (ExerciseResult e : exercises) {
            out.append(String.format(Locale.ROOT, "%-28s %3d/%-3d %5.0f%%  %s%n", clean(e.id()), e.passed(),
                    e.tests().size(), 100 * e.score(), e.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        out.append(String.format(Locale.ROOT, "%-28s %7s %5.1f%%%n", "total", "", 100 * score()));
        for (ExerciseResult e : exercises) {
            if (e.message() != null) {
                out.append("\n").append(clean(e.id())).append(":\n    ").append(indented(e.message())).append('\n');
            }
            for (ExerciseMain.TestRecord t : e.tests()) {
                if (!t.status().equals("PASSED") && e.status() != ExerciseResult.Status.NOT_ATTEMPTED) {
                    out.append("  ✗ ").append(indented(t.name())).append(":\n      ")
                            .append(indented(String.valueOf(t.message())).replace("\n", "\n  ")).append('\n');
                }
            }
        }
        for (String note : notes) {
            out.append("\nnote: ").append(indented(note)).append('\n');
        }
        if (!isolation.isEmpty()) {
            out.append("\nisolation: ").append(isolation).append('\n');
        }
        if (!limits.isEmpty()) {
            out.append("limits: ").append(limits).append('\n');
        }
        return out.toString();
    }

    /** Text from the submission without control characters (terminal escapes, bidi overrides). */
    static String clean(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
            if (!control) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String indented(String s) {
        return clean(s).replace("\n", "\n    ");
    }

    /** The report as JSON. */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("notebook", notebook);
        root.addProperty("chapter", chapter);
        root.addProperty("score", score());
        root.addProperty("isolation", isolation);
        root.addProperty("limits", limits);
        JsonArray noteList = new JsonArray();
        notes.forEach(noteList::add);
        root.add("notes", noteList);
        JsonArray list = new JsonArray();
        for (ExerciseResult e : exercises) {
            JsonObject o = new JsonObject();
            o.addProperty("id", e.id());
            o.addProperty("status", e.status().name());
            o.addProperty("score", e.score());
            o.addProperty("passed", e.passed());
            o.addProperty("tests", e.tests().size());
            o.addProperty("message", e.message());
            JsonArray tests = new JsonArray();
            for (ExerciseMain.TestRecord t : e.tests()) {
                JsonObject to = new JsonObject();
                to.addProperty("name", t.name());
                to.addProperty("status", t.status());
                to.addProperty("message", t.message());
                tests.add(to);
            }
            o.add("results", tests);
            list.add(o);
        }
        root.add("exercises", list);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(root) + "\n";
    }

    /**
     * The report as JUnit XML: one test suite per exercise. An exercise whose tests could not run
     * (compile error, time-out, crash, missing cell) is one test case with an error.
     */
    public String toJunitXml() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long tests = 0;
        long failures = 0;
        for (ExerciseResult e : exercises) {
            tests += e.tests().size() + (e.ranToEnd() ? 0 : 1);
            failures += e.tests().size() - e.passed() + (e.ranToEnd() ? 0 : 1);
        }
        x.append("<testsuites name=\"").append(esc(notebook)).append("\" tests=\"").append(tests)
                .append("\" failures=\"").append(failures).append("\">\n");
        for (ExerciseResult e : exercises) {
            boolean ranToEnd = e.ranToEnd();
            long suiteTests = ranToEnd ? e.tests().size() : e.tests().size() + 1;
            x.append(" <testsuite name=\"").append(esc(e.id())).append("\" tests=\"").append(suiteTests)
                    .append("\" failures=\"").append(suiteTests - e.passed()).append("\">\n");
            x.append("  <properties><property name=\"isolation\" value=\"").append(esc(isolation))
                    .append("\"/><property name=\"limits\" value=\"").append(esc(limits)).append("\"/></properties>\n");
            for (ExerciseMain.TestRecord t : e.tests()) {
                x.append("  <testcase classname=\"").append(esc(e.id())).append("\" name=\"").append(esc(t.name())).append('"');
                if (t.status().equals("PASSED")) {
                    x.append("/>\n");
                } else {
                    x.append(">\n   <failure message=\"").append(esc(firstLine(t.message()))).append("\">")
                            .append(esc(t.message())).append("</failure>\n  </testcase>\n");
                }
            }
            if (!ranToEnd) {
                x.append("  <testcase classname=\"").append(esc(e.id())).append("\" name=\"")
                        .append(esc(e.status().name().toLowerCase(Locale.ROOT))).append("\">\n   <error message=\"")
                        .append(esc(firstLine(e.message()))).append("\">").append(esc(e.message()))
                        .append("</error>\n  </testcase>\n");
            }
            x.append(" </testsuite>\n");
        }
        return x.append("</testsuites>\n").toString();
    }

    /**
     * Writes {@code report.json} and {@code junit.xml} into a directory, each through a temporary
     * file renamed into place, so a reader sees a whole report or none.
     */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            replace(dir.resolve("report.json"), toJson());
            replace(dir.resolve("junit.xml"), toJunitXml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        clean(s).codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    boolean invalid = (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff;
                    if ((c >= 0x20 || c == '\n' || c == '\t') && !invalid) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
