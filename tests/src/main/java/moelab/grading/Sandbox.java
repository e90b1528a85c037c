package moelab.grading;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where a test JVM runs. With {@code bwrap} (bubblewrap, Linux user namespaces) it sees a new
 * root holding only the system directories, the JDK and the classpath, all read-only, its own
 * work directory writable, a private {@code /tmp}, no network, its own PID namespace (every
 * process it starts dies with it) and a new session; the repository checkout with
 * {@code solutions/} is not there at all. Without it, the JVM runs in a session of its own
 * ({@code setsid}) with the user's permissions, and {@link ProcessTree} finds what it starts.
 *
 * @param bwrap the bwrap executable, or null for no isolation
 * @param description one line for the report: which isolation, and why not when there is none
 */
record Sandbox(String bwrap, String description) {

    /** The isolation the command line asks for. */
    enum Mode { AUTO, BWRAP, NONE }

    /** The best isolation this machine allows within {@code mode}; fails if BWRAP is asked for and not possible. */
    static Sandbox choose(Mode mode) {
        if (mode == Mode.NONE) {
            return none("none (--isolation none was given)");
        }
        String bwrap = onPath("bwrap");
        String problem = bwrap == null ? "bwrap is not installed (Debian: apt-get install bubblewrap)" : probe(bwrap);
        if (problem == null) {
            return new Sandbox(bwrap, "bwrap: user namespaces; read-only toolkit and JDK, no network, no repository"
                    + " checkout (no solutions/), private /tmp, own PID namespace");
        }
        if (mode == Mode.BWRAP) {
            throw new IllegalArgumentException("--isolation bwrap is not possible here: " + problem);
        }
        return none("none (" + problem + ")");
    }

    private static Sandbox none(String why) {
        return new Sandbox(null, why + ": student code runs with your permissions; only the bytecode check"
                + " keeps it from files and the network; its processes are tracked by session and killed");
    }

    /** Whether the test JVM runs inside bwrap. */
    boolean isolated() {
        return bwrap != null;
    }

    /**
     * The command that runs {@code command} (a java command line) in this sandbox.
     *
     * @param work the run's work directory, the only writable place besides a private /tmp
     * @param readable classpath entries, the JDK and the DJL cache, made visible read-only (bound
     *     after {@code work}, so a readable directory inside it stays read-only)
     */
    List<String> wrap(List<String> command, Path work, List<Path> readable) {
        List<String> out = new ArrayList<>();
        if (bwrap == null) {
            String setsid = onPath("setsid");
            if (setsid != null) {
                out.add(setsid);
            }
            out.addAll(command);
            return out;
        }
        out.addAll(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        for (String system : List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")) {
            Path p = Path.of(system);
            if (Files.isSymbolicLink(p)) {
                try {
                    out.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), system));
                } catch (IOException e) {
                    // leave it out
                }
            } else if (Files.isDirectory(p)) {
                out.addAll(List.of("--ro-bind", system, system));
            }
        }
        String w = work.toAbsolutePath().normalize().toString();
        out.addAll(List.of("--bind", w, w));
        Set<String> binds = new LinkedHashSet<>();
        for (Path p : readable) {
            Path real = p.toAbsolutePath().normalize();
            if (Files.exists(real) && !real.startsWith("/usr") && !real.startsWith("/etc")) {
                binds.add(real.toString());
            }
        }
        for (String p : binds) {
            out.addAll(List.of("--ro-bind", p, p));
        }
        out.addAll(List.of("--chdir", w, "--"));
        out.addAll(command);
        return out;
    }

    /** Why bwrap cannot make a sandbox here (the error it prints), or null when it can. */
    private static String probe(String bwrap) {
        try {
            Process p = new ProcessBuilder(bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "true")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "bwrap did not answer within 20 s";
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null
                    : "bwrap cannot create a sandbox here, user namespaces are probably off: "
                            + output.lines().findFirst().orElse("exit status " + p.exitValue());
        } catch (IOException e) {
            return "bwrap cannot be started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** An executable on PATH (or in /usr/bin), or null. */
    static String onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The mode named on the command line (auto, bwrap, none). */
    static Mode mode(String name) {
        try {
            return Mode.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--isolation must be auto, bwrap or none, not " + name);
        }
    }
}
