package moelab.kernel;

import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Starts rapaio-jupyter-kernel ({@code org.rapaio.jupyter.kernel.MainApp}) unchanged, plus a watchdog
 * that keeps the kernel's socket loop threads running.
 *
 * <p>Why: each of the kernel's shell, control and heartbeat channels serves its socket from a
 * {@code LoopThread} whose {@code start()} calls {@code super.start()} first and sets its
 * {@code running} flag second, while {@code run()} is {@code while (running) {...}}. When the new
 * thread gets a CPU before the starting thread sets the flag, it sees {@code false} and ends at
 * once, silently. For the shell channel that means a kernel that has bound its five ports and
 * answers heartbeats and control messages but never a {@code kernel_info_request}: Jupyter shows
 * "kernel starting" forever. On a busy 2-core machine this happened to several percent of starts
 * (a thread dump of such a kernel has no shell loop thread, and {@code main} has already returned
 * from joining it). The same loop dies for good on any exception thrown while handling a message.
 *
 * <p>The watchdog waits until the kernel has bound its channels, then checks every few
 * milliseconds (later every quarter second) that each loop thread is alive; a dead one whose
 * channel is not closed is replaced by a new {@code LoopThread} with the same body and the same
 * context class loader (the JShell's: cells run on threads the shell loop starts, and DJL finds
 * its engines through that loader), so the kernel
 * serves the socket again (a request lost with the dead thread is sent again by Jupyter clients,
 * which repeat {@code kernel_info_request} until answered). It reaches the kernel's private fields
 * by reflection; if they are not as expected (another kernel version) it prints one line to the
 * kernel's log and leaves the kernel alone.
 *
 * <p>Run: {@code java -cp rapaio-jupyter-kernel.jar:DIR moelab.kernel.KernelMain CONNECTION_FILE}
 * (what {@code ./moelab kernel install} writes into the kernelspec). Kept out of the toolkit's
 * classes on purpose: the toolkit must reach JShell only through {@code RJK_CLASSPATH}.
 */
public final class KernelMain {

    private static final String MAIN_APP = "org.rapaio.jupyter.kernel.MainApp";
    private static final String LOOP_THREAD = "org.rapaio.jupyter.kernel.channels.LoopThread";
    /** The kernel's stderr: the kernel swaps System.err for a cell's stream while a cell runs. */
    private static final PrintStream LOG = System.err;
    private static final long FAST_PERIOD_MS = 10;
    private static final long FAST_PHASE_MS = 60_000;
    private static final long SLOW_PERIOD_MS = 250;

    private KernelMain() {
    }

    public static void main(String[] args) throws Throwable {
        // MainApp's static initializer builds the JShell, which makes its class loader this thread's
        // context class loader; every thread the kernel starts later inherits it, and ServiceLoader
        // look-ups from cells (DJL finds its engines that way) depend on it. So the class is
        // initialized here, on the main thread as with "java -jar", before the watchdog exists.
        Class<?> app = Class.forName(MAIN_APP);
        Method main = app.getMethod("main", String[].class);
        Thread watchdog = new Thread(KernelMain::watch, "moelab-kernel-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch() {
        try {
            Object kernel = Class.forName(MAIN_APP).getField("kernel").get(null);
            Object channels = waitFor(() -> kernel.getClass().getMethod("channels").invoke(kernel));
            waitFor(() -> field(channels, "handlers"));   // set at the end of Channels.connect
            Method markedForShutdown = channels.getClass().getMethod("isMarkedForShutdown");
            List<Object> looped = new ArrayList<>();
            for (Object channel : (Collection<?>) field(channels, "channels")) {
                if (findField(channel.getClass(), "loopThread") != null) {
                    looped.add(channel);
                }
            }
            Class<?> loopClass = Class.forName(LOOP_THREAD);
            Constructor<?> newLoop = loopClass.getConstructor(String.class, long.class, Runnable.class);
            long start = System.nanoTime();
            while (true) {
                if ((Boolean) markedForShutdown.invoke(channels)) {
                    return;
                }
                for (Object channel : looped) {
                    Thread loop = (Thread) field(channel, "loopThread");
                    if (loop == null || loop.isAlive()) {
                        continue;
                    }
                    if ((Boolean) field(channel, "closed") || (Boolean) markedForShutdown.invoke(channels)) {
                        return;
                    }
                    Thread fresh = (Thread) newLoop.newInstance(loop.getName(), field(loop, "sleep"), field(loop, "loopBody"));
                    fresh.setDaemon(loop.isDaemon());
                    fresh.setContextClassLoader(loop.getContextClassLoader());   // the JShell's, see main
                    setField(channel, "loopThread", fresh);
                    fresh.start();
                    LOG.println("moelab: restarted the stopped loop thread of the kernel's "
                            + channel.getClass().getSimpleName() + " (" + loop.getName() + ")");
                    LOG.flush();
                }
                boolean fast = System.nanoTime() - start < FAST_PHASE_MS * 1_000_000L;
                Thread.sleep(fast ? FAST_PERIOD_MS : SLOW_PERIOD_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.println("moelab: kernel watchdog off (" + e + "); the kernel runs without it");
            LOG.flush();
        }
    }

    private interface Probe {
        Object get() throws ReflectiveOperationException;
    }

    private static Object waitFor(Probe probe) throws ReflectiveOperationException, InterruptedException {
        while (true) {
            Object value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(5);
        }
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        return null;
    }

    private static Object field(Object target, String name) throws NoSuchFieldException, IllegalAccessException {
        Field f = findField(target.getClass(), name);
        if (f == null) {
            throw new NoSuchFieldException(target.getClass().getName() + "." + name);
        }
        return f.get(target);
    }

    private static void setField(Object target, String name, Object value) throws NoSuchFieldException, IllegalAccessException {
        Field f = findField(target.getClass(), name);
        if (f == null) {
            throw new NoSuchFieldException(target.getClass().getName() + "." + name);
        }
        f.set(target, value);
    }
}
