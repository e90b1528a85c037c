package moelab.grading;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A solution notebook's reference run: how long its default-mode execution took, on how many
 * cores, and when. It is written into the notebook's metadata ({@code moelab.run}) and into the
 * "Reference run:" line of its first markdown cell, so a reader knows what to expect.
 */
final class RunTime {

    static final Pattern LINE = Pattern.compile("Reference run:[^\\n]*");

    private RunTime() {}

    /** Records {@code seconds} for the notebook {@code file} and writes it back. */
    static void record(Path file, int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("--record-run " + file + ": seconds must be >= 0, got " + seconds);
        }
        Notebook notebook = Notebook.read(file);
        int cores = Runtime.getRuntime().availableProcessors();
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        JsonObject moelab = notebook.metadata().has("moelab") ? notebook.metadata().getAsJsonObject("moelab") : new JsonObject();
        JsonObject run = new JsonObject();
        run.addProperty("seconds", seconds);
        run.addProperty("size", "default");
        run.addProperty("cpus", cores);
        run.addProperty("date", date);
        moelab.add("run", run);
        notebook.metadata().add("moelab", moelab);
        String line = line(seconds, cores, date);
        Notebook.Cell first = notebook.cells().stream().filter(c -> c.type().equals("markdown")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " has no markdown cell to hold its run time"));
        Matcher m = LINE.matcher(first.source());
        first.setSource(m.find() ? m.replaceFirst(Matcher.quoteReplacement(line)) : first.source().stripTrailing() + "\n\n" + line);
        notebook.write(file);
    }

    /** The sentence a chapter's first cell shows. */
    static String line(int seconds, int cores, String date) {
        String time = seconds < 90 ? seconds + " s" : "about " + Math.round(seconds / 60.0) + " min";
        return "Reference run: default mode, " + cores + "-core CPU, " + time + " (executed " + date + ").";
    }
}
