package moelab.course;

import ai.djl.engine.Engine;
import java.util.Locale;
import java.util.Map;

/**
 * How big a chapter's heavy cells run: {@link #SMOKE} (a few steps on tiny data, what CI uses),
 * {@link #DEFAULT} (the chapter as written, at most about ten minutes on a 2-core CPU) or
 * {@link #GPU} (sized up for an accelerator).
 *
 * <p>The size is decided once per JVM, in this order: {@link #set} from a notebook cell, the
 * system property {@code moelab.size}, the environment ({@code MOELAB_SMOKE=1} → smoke,
 * {@code MOELAB_SIZE=smoke|default|gpu}), and otherwise the device: {@link #GPU} when DJL sees a
 * GPU, {@link #DEFAULT} on a CPU. A student who wants a quick pass through a chapter writes
 * {@code RunSize.set(RunSize.SMOKE);} in a cell before the heavy ones.
 *
 * <pre>{@code
 * RunSize size = RunSize.current();
 * int steps = size.pick(3, 400, 4000);   // smoke, default, gpu
 * }</pre>
 */
public enum RunSize {
    /** A few steps on tiny data: checks that every cell runs. */
    SMOKE,
    /** The chapter as written, sized for a 2-core CPU. */
    DEFAULT,
    /** Sized up for a GPU. */
    GPU;

    private static volatile RunSize chosen;

    /** The size in force (decided on first use, see the class comment). */
    public static RunSize current() {
        RunSize size = chosen;
        if (size == null) {
            size = fromSettings(System.getProperty("moelab.size"), System.getenv());
            if (size == null) {
                size = Engine.getInstance().getGpuCount() > 0 ? GPU : DEFAULT;
            }
            chosen = size;
        }
        return size;
    }

    /** Sets the size for the rest of this JVM (a notebook's kernel); returns it. */
    public static RunSize set(RunSize size) {
        if (size == null) {
            throw new IllegalArgumentException("RunSize.set needs SMOKE, DEFAULT or GPU, got null");
        }
        chosen = size;
        return size;
    }

    /** The size a property value or environment asks for, or {@code null} when neither says. */
    static RunSize fromSettings(String property, Map<String, String> env) {
        if (property != null && !property.isBlank()) {
            return parse(property, "system property moelab.size");
        }
        String size = env.get("MOELAB_SIZE");
        if (size != null && !size.isBlank()) {
            return parse(size, "MOELAB_SIZE");
        }
        return "1".equals(env.get("MOELAB_SMOKE")) ? SMOKE : null;
    }

    private static RunSize parse(String value, String where) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is '" + value + "'; use smoke, default or gpu");
        }
    }

    /** True in smoke mode. */
    public boolean smoke() {
        return this == SMOKE;
    }

    /** The value for this size: {@code smoke}, {@code cpu} (default) or {@code gpu}. */
    public int pick(int smoke, int cpu, int gpu) {
        return switch (this) {
            case SMOKE -> smoke;
            case DEFAULT -> cpu;
            case GPU -> gpu;
        };
    }

    /** {@link #pick(int, int, int)} for doubles. */
    public double pick(double smoke, double cpu, double gpu) {
        return switch (this) {
            case SMOKE -> smoke;
            case DEFAULT -> cpu;
            case GPU -> gpu;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
