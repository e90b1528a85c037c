package moelab.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The grader's own list of exercise tests, discovered in the grader's JVM from the exercise
 * package (the built-in tests and any {@code --tests} directories or jars, whose classes replace
 * built-in classes of the same name): for each exercise id, the JUnit unique id and name of each
 * of its tests, and what its test classes {@link Forbids}. A test run is checked against it: a
 * test that did not report, or one it does not list, is a failure.
 *
 * @param tests exercise id → (unique id → display name), in discovery order
 * @param forbids exercise id → forbidden class or member names
 */
public record Catalogue(Map<String, Map<String, String>> tests, Map<String, Set<String>> forbids) {

    /** The exercise ids with tests, sorted. */
    public Set<String> ids() {
        return new TreeMap<>(tests).keySet();
    }

    /** Discovers the tests of {@link ExerciseMain#EXERCISES_PACKAGE}, hidden test paths first. */
    public static Catalogue discover(List<Path> hiddenTests) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        URLClassLoader loader = new HiddenTestsFirst(urls(hiddenTests), Catalogue.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage(ExerciseMain.EXERCISES_PACKAGE)).build();
            TestPlan plan = LauncherFactory.create().discover(request);
            Map<String, Map<String, String>> tests = new TreeMap<>();
            Map<String, Set<String>> forbids = new TreeMap<>();
            Set<String> classes = new LinkedHashSet<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier test : plan.getDescendants(root)) {
                    test.getSource().filter(ClassSource.class::isInstance)
                            .ifPresent(s -> classes.add(((ClassSource) s).getClassName()));
                    if (test.getSource().orElse(null) instanceof MethodSource) {
                        for (TestTag tag : test.getTags()) {
                            tests.computeIfAbsent(tag.getName(), k -> new LinkedHashMap<>())
                                    .put(test.getUniqueId(), test.getDisplayName());
                        }
                    }
                }
            }
            for (String name : classes) {
                for (Forbids f : Class.forName(name, false, loader).getAnnotationsByType(Forbids.class)) {
                    forbids.computeIfAbsent(f.exercise(), k -> new LinkedHashSet<>()).addAll(List.of(f.value()));
                }
            }
            return new Catalogue(tests, forbids);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load exercise test class " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static URL[] urls(List<Path> paths) {
        List<URL> urls = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p) && !(Files.isRegularFile(p) && p.toString().endsWith(".jar"))) {
                throw new IllegalArgumentException("--tests " + p + ": not a directory of classes or a .jar");
            }
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return urls.toArray(URL[]::new);
    }

    /**
     * Loads every class of the exercise package itself, from the hidden test paths before the
     * built-in ones, so that hidden tests and built-in base classes share one runtime package.
     */
    private static final class HiddenTestsFirst extends URLClassLoader {

        HiddenTestsFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(ExerciseMain.EXERCISES_PACKAGE + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                try {
                    return findClass(name);
                } catch (ClassNotFoundException e) {
                    try (var in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw e;
                        }
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException io) {
                        throw new ClassNotFoundException(name, io);
                    }
                }
            }
        }
    }
}
