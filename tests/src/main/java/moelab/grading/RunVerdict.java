package moelab.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the grader saw of a test run (the authentic verdicts, how the run ended) into an
 * exercise's result, checking the tests that reported against the {@link Catalogue}: a test that
 * did not report counts as failed, a test the catalogue does not list voids the run.
 */
final class RunVerdict {

    /** How a run ended, as the grader saw it. */
    enum Ending { DONE, EXITED, TIME, MEMORY }

    private RunVerdict() {}

    static ExerciseResult judge(String id, Map<String, String> expected, List<ExerciseRun.Event> events,
            Ending ending, ExerciseRun.Limits limits, String exit, int rejected, String logTail) {
        Map<String, ExerciseRun.Event> finished = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> containerFailures = new ArrayList<>();
        String running = null;
        for (ExerciseRun.Event e : events) {
            if ("started".equals(e.event())) {
                running = e.name();
            } else if ("finished".equals(e.event())) {
                running = null;
                String parent = expected.keySet().stream().filter(k -> e.id().startsWith(k + "/")).findFirst().orElse(null);
                if (expected.containsKey(e.id())) {
                    ExerciseRun.Event before = finished.get(e.id());
                    finished.put(e.id(), before != null && !"PASSED".equals(before.status()) ? before : e);
                } else if (parent != null) {
                    if (!"PASSED".equals(e.status())) {   // a failed invocation fails its parametrised test
                        finished.put(parent, e);
                    }
                } else if (e.test()) {
                    unknown.add(e.name() + " [" + e.id() + "]");
                } else if (e.message() != null) {
                    containerFailures.add(e.name() + ": " + e.message());
                }
            }
        }
        List<ExerciseMain.TestRecord> records = new ArrayList<>();
        for (Map.Entry<String, String> test : expected.entrySet()) {
            ExerciseRun.Event e = finished.get(test.getKey());
            if (e != null) {
                records.add(new ExerciseMain.TestRecord(test.getValue(), "PASSED".equals(e.status()) ? "PASSED" : "FAILED",
                        e.message()));
            } else if (ending == Ending.DONE) {
                records.add(new ExerciseMain.TestRecord(test.getValue(), "FAILED", "this test did not report a result"
                        + (containerFailures.isEmpty() ? "" : ": " + String.join("; ", containerFailures))));
            }
        }
        String note = rejected == 0 ? "" : "\n(" + rejected + " forged or out-of-sequence verdict lines were ignored)";
        String during = running == null ? "" : " (while running \"" + running + "\")";
        switch (ending) {
            case TIME -> {
                return new ExerciseResult(id, ExerciseResult.Status.TIMEOUT, records, "stopped after the time limit of "
                        + limits.time().toSeconds() + " s" + during + ": an infinite loop, or far too slow" + note);
            }
            case MEMORY -> {
                return new ExerciseResult(id, ExerciseResult.Status.MEMORY_LIMIT, records, "stopped above the memory limit of "
                        + limits.memoryBytes() / (1024 * 1024) + " MiB resident (Java heap and native memory of all its processes)"
                        + during + note);
            }
            case EXITED -> {
                return new ExerciseResult(id, ExerciseResult.Status.CRASHED, records, "the test JVM ended (" + exit
                        + ") before the tests finished" + during + ": does the code stop the JVM? Output:" + indent(logTail) + note);
            }
            default -> { }
        }
        if (!unknown.isEmpty()) {
            return new ExerciseResult(id, ExerciseResult.Status.CRASHED, records,
                    "the run reported tests the grader's catalogue does not hold, so none counts: " + unknown + note);
        }
        if (records.stream().allMatch(t -> t.status().equals("PASSED"))) {
            return new ExerciseResult(id, ExerciseResult.Status.PASSED, records, rejected == 0 ? null : note.strip());
        }
        String stub = UnsupportedOperationException.class.getName() + ": exercise " + id;
        boolean untouched = records.stream().allMatch(t -> t.message() != null && t.message().startsWith(stub));
        return untouched
                ? new ExerciseResult(id, ExerciseResult.Status.NOT_ATTEMPTED, records, "not attempted: the stub is still there" + note)
                : new ExerciseResult(id, ExerciseResult.Status.FAILED, records, note.isEmpty() ? null : note.strip());
    }

    private static String indent(String text) {
        return text == null || text.isBlank() ? " (none)" : "\n    " + text.replace("\n", "\n    ");
    }
}
