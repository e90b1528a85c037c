package moelab.grading;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes of one test run, found in {@code /proc}: every descendant of the process the
 * grader started, and every process in its session (which catches children re-parented after
 * their parent exited, such as {@code sh -c 'sleep 377 &'}). Reads their resident memory and
 * kills them all. Where there is no {@code /proc}, falls back to {@link ProcessHandle#descendants()}.
 */
final class ProcessTree {

    private static final Path PROC = Path.of("/proc");

    private final long root;
    private final long session;

    /**
     * @param root the process the grader started
     * @param session its session id (it called setsid), or 0 when it has no session of its own
     */
    ProcessTree(long root, long session) {
        this.root = root;
        this.session = session;
    }

    /** The live processes of the run, the root included. */
    Set<Long> members() {
        Set<Long> members = new LinkedHashSet<>();
        if (!Files.isDirectory(PROC.resolve("self"))) {
            ProcessHandle.of(root).ifPresent(h -> members.add(h.pid()));
            ProcessHandle.of(root).ifPresent(h -> h.descendants().forEach(d -> members.add(d.pid())));
            return members;
        }
        Map<Long, List<Long>> stat = new HashMap<>();   // pid -> [ppid, session]
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : dirs) {
                List<Long> fields = stat(dir);
                if (fields != null) {
                    stat.put(Long.parseLong(dir.getFileName().toString()), fields);
                }
            }
        } catch (IOException e) {
            return members;
        }
        Deque<Long> todo = new ArrayDeque<>();
        if (stat.containsKey(root)) {
            todo.add(root);
        }
        stat.forEach((pid, f) -> {
            if (session > 0 && f.get(1) == session) {
                todo.add(pid);
            }
        });
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (members.add(pid)) {
                stat.forEach((child, f) -> {
                    if (f.get(0) == pid) {
                        todo.add(child);
                    }
                });
            }
        }
        return members;
    }

    /** The resident memory of all members, in bytes (native memory included). */
    long residentBytes() {
        long total = 0;
        for (long pid : members()) {
            try {
                for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    /** Kills every member with SIGKILL, again and again until none is left (or 5 s have passed). */
    void killAll() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Set<Long> alive = members();
            if (alive.isEmpty()) {
                return;
            }
            alive.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** [ppid, session] of a process from {@code /proc/<pid>/stat}; null when it is gone or a zombie. */
    private static List<Long> stat(Path dir) {
        try {
            String text = Files.readString(dir.resolve("stat"));
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return f[0].equals("Z") || f[0].equals("X") ? null : List.of(Long.parseLong(f[1]), Long.parseLong(f[3]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
