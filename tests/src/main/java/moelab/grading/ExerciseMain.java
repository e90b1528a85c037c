package moelab.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the tests of one exercise in the test JVM the {@link Grader} starts for it:
 * {@code ExerciseMain <exercise-id>}, with the verdict channel's secret as the first line of
 * standard input. Before any student class can load, it reads the secret into a local, moves
 * {@code System.out} onto standard error (where the student's printing goes) and keeps standard
 * output for the {@link VerdictChannel}: one signed line when each test starts and finishes, and
 * one when all are done.
 */
public final class ExerciseMain {

    /** Package holding the exercise tests; each test is tagged with its exercise id. */
    public static final String EXERCISES_PACKAGE = "moelab.grading.exercises";

    /** One finished test as the report shows it. */
    public record TestRecord(String name, String status, String message) {}

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private ExerciseMain() {}

    /** Entry point of the test JVM. */
    public static void main(String[] args) throws IOException {
        String secret = readLine(System.in);
        PrintStream channel = System.out;
        System.setOut(System.err);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        if (args.length != 1 || secret.isBlank()) {
            System.err.println("usage: ExerciseMain <exercise-id>, the secret on standard input");
            Runtime.getRuntime().halt(2);
        }
        String id = args[0];
        VerdictChannel.Signer signer = new VerdictChannel.Signer(secret, channel);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(EXERCISES_PACKAGE))
                .filters(TagFilter.includeTags(id))
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    signer.send(event(id, "started", test, null, null));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.getSource().orElse(null) instanceof MethodSource) {
                    signer.send(event(id, "finished", test, "SKIPPED", "skipped: " + reason));
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                boolean failed = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
                if (test.getSource().orElse(null) instanceof MethodSource || (failed && test.getParentId().isPresent())) {
                    String status = switch (result.getStatus()) {
                        case SUCCESSFUL -> "PASSED";
                        case ABORTED -> "ABORTED";
                        case FAILED -> "FAILED";
                    };
                    signer.send(event(id, "finished", test, status, result.getThrowable().map(ExerciseMain::describe).orElse(null)));
                }
            }
        });
        JsonObject done = new JsonObject();
        done.addProperty("exercise", id);
        done.addProperty("event", "done");
        signer.send(GSON.toJson(done));
        Runtime.getRuntime().halt(0);
    }

    private static String event(String exercise, String event, TestIdentifier test, String status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("exercise", exercise);
        o.addProperty("event", event);
        o.addProperty("id", test.getUniqueId());
        o.addProperty("name", test.getDisplayName());
        o.addProperty("test", test.isTest());
        o.addProperty("status", status);
        o.addProperty("message", message);
        return GSON.toJson(o);
    }

    /** One line of a stream, read byte by byte so nothing after it is buffered away. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n' && line.size() < 4096; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }

    /**
     * A failure as a student wants to read it: the message (at most 4000 characters), and where in
     * their code it happened.
     */
    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        if (t instanceof AssertionError) {
            text.append(t.getMessage() == null ? "assertion failed" : t.getMessage());
        } else {
            text.append(t);
        }
        if (text.length() > 4000) {
            text.setLength(4000);
            text.append(" [...]");
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (StackTraceElement frame : c.getStackTrace()) {
                String cls = frame.getClassName();
                if (cls.equals(Submission.CLASS_NAME) || cls.startsWith(Submission.CLASS_NAME + "$")) {
                    text.append("\n  at ").append(frame.getMethodName()).append(" (Submission.java:")
                            .append(frame.getLineNumber()).append(")");
                    return text.toString();
                }
            }
        }
        return text.toString();
    }
}
