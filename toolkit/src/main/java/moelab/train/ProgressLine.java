package moelab.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A console progress bar with rate and ETA, for a known number of steps.
 *
 * <p>On a terminal it is one line redrawn in place with a carriage return (at most 10 times a
 * second):
 *
 * <pre>train [#########-----------]  45% 450/1000  12.3 step/s  ETA 0:44  loss 0.512 acc 0.81</pre>
 *
 * When output goes to a file or a CI log (no console, or {@code MOELAB_PROGRESS=lines}) it prints
 * a plain line at every 10% and at least every 30 seconds instead. {@code MOELAB_PROGRESS=off}
 * silences it.
 */
public final class ProgressLine {

    /** How the bar is drawn. */
    public enum Mode {
        /** One line updated in place with {@code \r}. */
        TERMINAL,
        /** Separate lines, now and then. */
        LINES,
        /** Nothing. */
        OFF
    }

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier clock;
    private String label = "";
    private long total;
    private long startDone;
    private long startNanos;
    private long lastPrintNanos;
    private long lastPrintedDone = -1;
    private int lastWidth;

    /**
     * @param out where to print
     * @param mode how to draw
     * @param clock nanosecond clock ({@code System::nanoTime}; tests pass a fake one)
     */
    public ProgressLine(PrintStream out, Mode mode, LongSupplier clock) {
        this.out = out;
        this.mode = mode;
        this.clock = clock;
    }

    /**
     * The mode for standard output: {@code MOELAB_PROGRESS} if set ({@code terminal}, {@code
     * lines}, {@code off}), else {@link Mode#TERMINAL} when a console is attached and {@link
     * Mode#LINES} otherwise.
     */
    public static Mode detectMode() {
        String forced = System.getenv("MOELAB_PROGRESS");
        if (forced != null && !forced.isBlank()) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "terminal", "tty", "bar":
                    return Mode.TERMINAL;
                case "lines", "plain":
                    return Mode.LINES;
                case "off", "none", "0":
                    return Mode.OFF;
                default:
                    throw new IllegalArgumentException(
                            "MOELAB_PROGRESS must be terminal, lines or off; got " + forced);
            }
        }
        return System.console() != null ? Mode.TERMINAL : Mode.LINES;
    }

    /**
     * Starts a bar.
     *
     * @param label shown first
     * @param done steps already done (a resumed run starts part-way)
     * @param total steps at 100%
     */
    public void start(String label, long done, long total) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.startDone = done;
        this.startNanos = clock.getAsLong();
        this.lastPrintNanos = startNanos;
        this.lastPrintedDone = -1;
        this.lastWidth = 0;
    }

    /**
     * Reports progress; prints when the mode's rate limit allows.
     *
     * @param done steps done so far
     * @param metrics short text shown after the ETA (e.g. "loss 0.51")
     */
    public void update(long done, String metrics) {
        long now = clock.getAsLong();
        boolean last = done >= total;
        switch (mode) {
            case OFF:
                return;
            case TERMINAL:
                if (!last && lastPrintedDone >= 0 && now - lastPrintNanos < 100_000_000L) {
                    return;
                }
                String line = render(done, metrics, now);
                out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                lastWidth = line.length();
                out.flush();
                break;
            case LINES:
            default:
                long tenth = Math.max(1, total / 10);
                boolean milestone = lastPrintedDone < 0 || done / tenth > lastPrintedDone / tenth;
                if (!last && !milestone && now - lastPrintNanos < 30_000_000_000L) {
                    return;
                }
                if (done == lastPrintedDone) {
                    return;
                }
                out.println(render(done, metrics, now));
                out.flush();
                break;
        }
        lastPrintNanos = now;
        lastPrintedDone = done;
    }

    /** Ends the bar (moves past the redrawn line on a terminal). */
    public void finish() {
        if (mode == Mode.TERMINAL && lastWidth > 0) {
            out.println();
            out.flush();
        }
        lastWidth = 0;
    }

    /** The text of the bar for {@code done} steps at time {@code nowNanos}. */
    String render(long done, String metrics, long nowNanos) {
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (nowNanos - startNanos) / 1e9;
        long sinceStart = done - startDone;
        double rate = seconds > 0 ? sinceStart / seconds : Double.NaN;
        String eta = sinceStart > 0 && rate > 0 ? clock((total - done) / rate) : "?";
        StringBuilder s = new StringBuilder();
        s.append(label).append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled))
                .append("] ")
                .append(String.format(Locale.ROOT, "%3d%% %d/%d", Math.round(fraction * 100), done,
                        total));
        if (Double.isFinite(rate)) {
            s.append(String.format(Locale.ROOT, "  %.2f step/s", rate));
        }
        s.append("  ETA ").append(eta);
        if (metrics != null && !metrics.isEmpty()) {
            s.append("  ").append(metrics);
        }
        return s.toString();
    }

    /** {@code h:mm:ss} or {@code m:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
