package moelab.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the tests of one exercise in the current JVM, the child JVM the {@link Grader} starts for
 * each exercise: {@code ExerciseMain <exercise-id> <result.json>}. The result file is rewritten
 * after every test, so that if the student's code ends the JVM or loops forever the grader still
 * knows which tests finished and which one was running.
 */
public final class ExerciseMain {

    /** Package holding the exercise tests; each test is tagged with its exercise id. */
    public static final String EXERCISES_PACKAGE = "moelab.grading.exercises";

    /** One finished test. */
    record TestRecord(String name, String status, String message) {}

    /** What the result file holds. */
    static final class Progress {
        final List<TestRecord> tests = new ArrayList<>();
        String running;
        boolean finished;
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ExerciseMain() {}

    /** Entry point of the child JVM. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ExerciseMain <exercise-id> <result.json>");
            System.exit(2);
        }
        String id = args[0];
        Path resultFile = Path.of(args[1]);
        Progress progress = new Progress();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(EXERCISES_PACKAGE))
                .filters(TagFilter.includeTags(id))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    progress.running = test.getDisplayName();
                    save(progress, resultFile);
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    progress.tests.add(new TestRecord(test.getDisplayName(), "SKIPPED", reason));
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    String status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASSED" : "FAILED";
                    String message = result.getThrowable().map(ExerciseMain::describe).orElse(null);
                    progress.tests.add(new TestRecord(test.getDisplayName(), status, message));
                    progress.running = null;
                    save(progress, resultFile);
                }
            }
        });
        progress.finished = true;
        save(progress, resultFile);
        System.exit(0);
    }

    /** A failure as a student wants to read it: the message, and where in their code it happened. */
    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        if (t instanceof AssertionError) {
            text.append(t.getMessage() == null ? "assertion failed" : t.getMessage());
        } else {
            text.append(t);
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (Submission.CLASS_NAME.equals(frame.getClassName())) {
                text.append("\n  at ").append(frame.getMethodName()).append(" (Submission.java:")
                        .append(frame.getLineNumber()).append(")");
                break;
            }
        }
        return text.toString();
    }

    private static void save(Progress progress, Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(progress), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
