package moelab.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks on a solution notebook's stored outputs: solution notebooks are committed executed
 * (a reader sees every table, plot and number without running anything), so every code cell must
 * have run, and the outputs must be clean: no error output, no kernel log lines, and no stray
 * {@code Out[n]} values such as the id {@code display(...)} returns or {@code java.io.PrintStream@1a2b}.
 */
final class StoredOutputs {

    /** A value shown by accident: an object's default toString or a display id. */
    private static final Pattern STRAY = Pattern.compile(
            "\\s*([\\w$.]+@[0-9a-f]{4,}|\\[?'?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'?\\]?)\\s*");
    /** A logger's line (slf4j-simple, java.util.logging). */
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^(\\[[^\\]]+\\] )?(INFO|WARN|DEBUG) [\\w.$]+ - ");

    private StoredOutputs() {}

    /** What is wrong with the stored outputs of a solution notebook; empty when all is well. */
    static List<String> problems(Notebook notebook) {
        List<String> problems = new ArrayList<>();
        List<Integer> unexecuted = new ArrayList<>();
        int index = 0;
        for (Notebook.Cell cell : notebook.cells()) {
            index++;
            if (!cell.isCode() || cell.source().isBlank()) {
                continue;
            }
            String where = "cell " + index;
            if (!cell.executed()) {
                unexecuted.add(index);
                continue;
            }
            for (JsonObject output : cell.outputs()) {
                String type = output.has("output_type") ? output.get("output_type").getAsString() : "";
                if (type.equals("error")) {
                    problems.add(where + " stored an error: " + text(output.get("evalue")));
                } else if (type.equals("stream") && LOG_LINE.matcher(text(output.get("text"))).find()) {
                    problems.add(where + " shows a log line: " + firstLine(text(output.get("text")), LOG_LINE));
                } else if (type.equals("execute_result") && output.has("data")) {
                    JsonObject data = output.getAsJsonObject("data");
                    for (String mime : List.of("text/html", "text/plain")) {
                        String value = data.has(mime) ? text(data.get(mime)) : null;
                        if (value != null && STRAY.matcher(value).matches()) {
                            problems.add(where + " shows a stray value Out = " + value.strip()
                                    + " (end the cell with a statement, not a value-returning call)");
                            break;
                        }
                    }
                }
            }
        }
        if (!unexecuted.isEmpty()) {
            problems.add(0, (unexecuted.size() == 1 ? "cell " : "cells ") + unexecuted.toString().replaceAll("[\\[\\]]", "")
                    + (unexecuted.size() == 1 ? " has" : " have") + " not been executed (run ./moelab notebooks --execute)");
        }
        return problems;
    }

    private static String text(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "";
        }
        if (element.isJsonPrimitive()) {
            return element.getAsString();
        }
        StringBuilder text = new StringBuilder();
        element.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
        return text.toString();
    }

    private static String firstLine(String text, Pattern pattern) {
        for (String line : text.split("\n")) {
            if (pattern.matcher(line).find()) {
                return line.strip();
            }
        }
        return "";
    }
}
