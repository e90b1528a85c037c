package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A student who wants the marks without the work: every attack must leave the score where it
 * was and nothing running. Each attack is tried as written (the bytecode check stops it with a
 * message) and, where the machine has bwrap, with the bytecode check off, to show that the
 * sandbox and the signed verdict channel hold on their own.
 */
class GraderAttackTest {

    private static Grader.Options options(Path tmp, String... ids) {
        return Grader.Options.defaults(tmp.resolve("work")).withTimeout(Duration.ofSeconds(60)).only(ids);
    }

    /** Forged verdict lines on the test JVM's stdout, then System.exit with a hook rewriting a result file. */
    static final String FORGER = """
            static {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try { java.nio.file.Files.writeString(java.nio.file.Path.of("result.json"), "{\\"finished\\":true}"); } catch (Exception e) { }
                }));
                java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
                String[] tests = {"capacityGolden()", "capacityNoDropping()", "capacityGrid()"};
                for (int seq = 0; seq <= tests.length; seq++) {
                    String payload = seq == tests.length ? "{\\"exercise\\":\\"02-capacity\\",\\"event\\":\\"done\\"}"
                        : "{\\"exercise\\":\\"02-capacity\\",\\"event\\":\\"finished\\",\\"test\\":true,\\"status\\":\\"PASSED\\",\\"name\\":\\"x\\","
                          + "\\"id\\":\\"[engine:junit-jupiter]/[class:moelab.grading.exercises.RoutersExercises]/[method:" + tests[seq] + "]\\"}";
                    out.println("MOELAB-VERDICT " + seq + " " + java.util.Base64.getEncoder().encodeToString(payload.getBytes()) + " AAAA");
                    out.println("total 100.0%");
                }
                System.exit(0);
            }""";

    @Test
    void aForgedResultDoesNotRaiseTheScore(@TempDir Path tmp) throws IOException {
        Notebook stub = Attack.notebook("notebooks", "02");
        Attack.append(stub, "02-capacity", FORGER);
        Path file = Attack.write(stub, tmp, "02-routers.ipynb");
        GradeReport checked = Grader.grade(file, options(tmp, "02-capacity"));
        assertThat(checked.exercise("02-capacity").orElseThrow().status()).as(checked.table()).isEqualTo(ExerciseResult.Status.FORBIDDEN);
        assertThat(checked.exercise("02-capacity").orElseThrow().message()).contains("java.lang.Runtime", "java.io.FileDescriptor");
        GradeReport unchecked = Grader.grade(file, options(tmp, "02-capacity").withoutBytecodeCheck());
        ExerciseResult result = unchecked.exercise("02-capacity").orElseThrow();
        assertThat(result.score()).as(unchecked.table()).isZero();
        assertThat(result.message()).as(unchecked.table()).contains("4 forged or out-of-sequence verdict lines were ignored");
    }

    @Test
    void noProcessOutlivesGrading(@TempDir Path tmp) throws Exception {
        String marker = "sleep " + (3000 + (int) (Math.random() * 6000));
        Notebook stub = Attack.notebook("notebooks", "02");
        Attack.append(stub, "02-capacity", "static { try { new ProcessBuilder(\"sh\", \"-c\", \"" + marker
                + " & " + marker + " & exit 0\").start().waitFor(); } catch (Exception e) { throw new RuntimeException(e); } }");
        Path file = Attack.write(stub, tmp, "02-routers.ipynb");
        GradeReport checked = Grader.grade(file, options(tmp, "02-capacity"));
        assertThat(checked.exercise("02-capacity").orElseThrow().status()).isEqualTo(ExerciseResult.Status.FORBIDDEN);
        assertThat(checked.exercise("02-capacity").orElseThrow().message()).contains("java.lang.ProcessBuilder");
        for (Sandbox.Mode mode : List.of(Sandbox.Mode.NONE, Sandbox.Mode.AUTO)) {
            GradeReport report = Grader.grade(file, options(tmp, "02-capacity").withIsolation(mode).withoutBytecodeCheck());
            assertThat(report.score()).as(report.table()).isZero();
            assertThat(Attack.processRunning(marker)).as("a background '" + marker + "' outlived grading (" + mode + ")").isFalse();
        }
    }

    @Test
    void theSandboxHidesFilesNetworkAndSolutions(@TempDir Path tmp) throws Exception {
        assumeTrue(Attack.sandboxAvailable(), "bwrap cannot sandbox on this machine");
        Path canary = Files.writeString(tmp.resolve("canary.txt"), "keep me");
        Path solutions = Attack.ROOT.resolve("solutions/02-routers.ipynb").toAbsolutePath();
        AtomicBoolean connected = new AtomicBoolean();
        try (ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(200);
            Thread listener = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connected.set(true);
                    } catch (SocketTimeoutException e) {
                        // keep listening
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            listener.start();
            Notebook solution = Attack.notebook("solutions", "02");
            Attack.inject(solution, "02-capacity", Attack.attempt("deleting a file outside the sandbox",
                    "if (!java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(\"" + canary + "\"))) throw new Exception(\"not there\");"));
            Attack.inject(solution, "02-assign", Attack.attempt("connecting to the network",
                    "try (java.net.Socket s = new java.net.Socket()) { s.connect(new java.net.InetSocketAddress(\"127.0.0.1\", "
                            + server.getLocalPort() + "), 2000); }"));
            Attack.inject(solution, "02-priority", Attack.attempt("reading the solutions",
                    "if (!java.nio.file.Files.readString(java.nio.file.Path.of(\"" + solutions + "\")).contains(\"BEGIN SOLUTION\")) throw new Exception();"));
            Path file = Attack.write(solution, tmp.resolve("nb"), "02-routers.ipynb");
            GradeReport checked = Grader.grade(file, options(tmp));
            assertThat(checked.exercises()).as(checked.table())
                    .allSatisfy(e -> assertThat(e.status()).isEqualTo(ExerciseResult.Status.FORBIDDEN));
            GradeReport sandboxed = Grader.grade(file, options(tmp).withoutBytecodeCheck());
            assertThat(sandboxed.isolation()).startsWith("bwrap");
            assertThat(sandboxed.exercises()).as(sandboxed.table()).allSatisfy(e -> assertThat(e.score()).isZero());
            assertThat(sandboxed.table()).contains("NoSuchFileException");
            server.close();
            listener.join();
        }
        assertThat(canary).hasContent("keep me");
        assertThat(connected).as("the sandbox reached the network").isFalse();
    }

    @Test
    void callingTheToolkitsOwnImplementationIsForbidden(@TempDir Path tmp) throws IOException {
        Notebook solution = Attack.notebook("solutions", "02");
        Attack.inject(solution, "02-capacity", "if (true) return moelab.routing.Capacity.of(k, tokens, capacityFactor, experts);");
        Attack.inject(solution, "02-assign", "if (true) return moelab.routing.Capacity.assign(choice, order, experts, capacity);");
        Path file = Attack.write(solution, tmp, "02-routers.ipynb");
        GradeReport report = Grader.grade(file, options(tmp, "02-capacity", "02-assign"));
        assertThat(report.exercise("02-capacity").orElseThrow().status()).as(report.table()).isEqualTo(ExerciseResult.Status.FORBIDDEN);
        assertThat(report.exercise("02-capacity").orElseThrow().message()).contains("moelab.routing.Capacity.of", "write this yourself");
        assertThat(report.exercise("02-assign").orElseThrow().message()).contains("moelab.routing.Capacity.assign");
        assertThat(report.score()).isZero();
    }

    @Test
    void nativeMemoryOverTheCapStopsTheRun(@TempDir Path tmp) throws IOException {
        Notebook solution = Attack.notebook("solutions", "02");
        Attack.inject(solution, "02-priority",
                "NDArray hog = probs.getManager().ones(new ai.djl.ndarray.types.Shape(400_000_000L)); if (hog.sum().getFloat() > 0) hog = hog.add(1);");
        Path file = Attack.write(solution, tmp, "02-routers.ipynb");
        GradeReport report = Grader.grade(file, options(tmp, "02-priority").withBudget(Duration.ofMinutes(5), 900L << 20));
        assertThat(report.exercise("02-priority").orElseThrow().status()).as(report.table())
                .isEqualTo(ExerciseResult.Status.MEMORY_LIMIT);
        assertThat(report.limits()).contains("900 MiB");
    }

    @Test
    void theTotalBudgetBoundsGradingTime(@TempDir Path tmp) throws IOException {
        Notebook solution = Attack.notebook("solutions", "02");
        Attack.inject(solution, "02-capacity", "while (k >= 0) { k = k | 1; }");
        Attack.inject(solution, "02-assign", "while (experts >= 0) { experts = experts | 1; }");
        Path file = Attack.write(solution, tmp, "02-routers.ipynb");
        long start = System.nanoTime();
        GradeReport report = Grader.grade(file, options(tmp, "02-capacity", "02-assign").withBudget(Duration.ofSeconds(12), 3072L << 20));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
        assertThat(report.exercises()).as(report.table()).allSatisfy(e -> assertThat(e.status()).isEqualTo(ExerciseResult.Status.TIMEOUT));
        assertThat(report.table()).contains("total time budget");
    }
}
