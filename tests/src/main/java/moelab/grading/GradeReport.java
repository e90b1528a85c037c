package moelab.grading;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The grades of one notebook: a score table for people, and JUnit XML plus JSON for machines
 * (GitHub Classroom, CI).
 *
 * @param notebook the graded notebook
 * @param exercises one result per exercise, in notebook order
 */
public record GradeReport(String notebook, List<ExerciseResult> exercises) {

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
        StringBuilder out = new StringBuilder(notebook).append('\n');
        out.append(String.format(Locale.ROOT, "%-28s %7s %6s  %s%n", "exercise", "tests", "score", "status"));
        for (ExerciseResult e : exercises) {
            out.append(String.format(Locale.ROOT, "%-28s %3d/%-3d %5.0f%%  %s%n", e.id(), e.passed(),
                    e.tests().size(), 100 * e.score(), e.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        out.append(String.format(Locale.ROOT, "%-28s %7s %5.1f%%%n", "total", "", 100 * score()));
        for (ExerciseResult e : exercises) {
            if (e.message() != null) {
                out.append("\n").append(e.id()).append(": ").append(e.message()).append('\n');
            }
            for (ExerciseMain.TestRecord t : e.tests()) {
                if (!t.status().equals("PASSED") && e.status() != ExerciseResult.Status.NOT_ATTEMPTED) {
                    out.append("  ✗ ").append(t.name()).append(": ")
                            .append(String.valueOf(t.message()).replace("\n", "\n    ")).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The report as JSON. */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("notebook", notebook);
        root.addProperty("score", score());
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

    /** Writes {@code report.json} and {@code junit.xml} into a directory. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.json"), toJson(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("junit.xml"), toJunitXml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
