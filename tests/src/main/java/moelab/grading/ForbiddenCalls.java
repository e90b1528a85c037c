package moelab.grading;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the compiled cell of an exercise may not refer to: the escape hatches no exercise needs
 * (reflection, class loading, processes, threads, files, network, the JVM's own controls, the
 * grader and JUnit), for every exercise, plus the toolkit code its test class names in
 * {@link Forbids} (the toolkit's own implementation of what the exercise asks for).
 *
 * <p>A rule names a class ({@code java/lang/Runtime}, nested classes included), a package prefix
 * ({@code java/net/}), or one member ({@code java/lang/System#exit}, {@code java/lang/Class#getDeclared*}).
 */
final class ForbiddenCalls {

    private static final String REFLECTION = "reflection and class loading are off limits in exercise cells";
    private static final String PROCESS = "exercise cells may not start processes, threads or shutdown hooks, or stop the JVM";
    private static final String IO = "exercise cells may not touch files, the network or the JVM's standard streams";
    private static final String GRADER = "exercise cells may not use the grader, JUnit or JDK internals";

    /** The rules that hold for every exercise. */
    static final List<Rule> EVERY_EXERCISE = List.of(
            new Rule("java/lang/reflect/", null, REFLECTION),
            new Rule("java/lang/invoke/", null, REFLECTION),
            new Rule("java/lang/ClassLoader", null, REFLECTION),
            new Rule("java/lang/Module", null, REFLECTION),
            new Rule("java/lang/ModuleLayer", null, REFLECTION),
            new Rule("java/lang/StackWalker", null, REFLECTION),
            new Rule("java/lang/instrument/", null, REFLECTION),
            new Rule("java/lang/foreign/", null, REFLECTION),
            new Rule("java/lang/Class", "forName", REFLECTION),
            new Rule("java/lang/Class", "newInstance", REFLECTION),
            new Rule("java/lang/Class", "getClassLoader", REFLECTION),
            new Rule("java/lang/Class", "getModule", REFLECTION),
            new Rule("java/lang/Class", "getProtectionDomain", REFLECTION),
            new Rule("java/lang/Class", "getResource*", REFLECTION),
            new Rule("java/lang/Class", "getDeclared*", REFLECTION),
            new Rule("java/lang/Class", "getMethod*", REFLECTION),
            new Rule("java/lang/Class", "getField*", REFLECTION),
            new Rule("java/lang/Class", "getConstructor*", REFLECTION),
            new Rule("java/lang/Class", "getEnclosing*", REFLECTION),
            new Rule("java/lang/Class", "getRecordComponents", REFLECTION),
            new Rule("java/net/URLClassLoader", null, REFLECTION),
            new Rule("java/util/ServiceLoader", null, REFLECTION),
            new Rule("ai/djl/util/ClassLoaderUtils", null, REFLECTION),
            new Rule("ai/djl/pytorch/jni/", null, REFLECTION),
            new Rule("java/lang/Runtime", null, PROCESS),
            new Rule("java/lang/Process", null, PROCESS),
            new Rule("java/lang/ProcessBuilder", null, PROCESS),
            new Rule("java/lang/ProcessHandle", null, PROCESS),
            new Rule("java/lang/Thread", null, PROCESS),
            new Rule("java/lang/ThreadGroup", null, PROCESS),
            new Rule("java/util/Timer", null, PROCESS),
            new Rule("java/util/concurrent/Executors", null, PROCESS),
            new Rule("java/util/concurrent/ThreadPoolExecutor", null, PROCESS),
            new Rule("java/util/concurrent/ForkJoinPool", null, PROCESS),
            new Rule("java/lang/System", "exit", PROCESS),
            new Rule("java/lang/System", "load*", PROCESS),
            new Rule("java/lang/System", "set*", PROCESS),
            new Rule("java/lang/System", "clearProperty", PROCESS),
            new Rule("java/lang/System", "console", IO),
            new Rule("java/lang/System", "inheritedChannel", IO),
            new Rule("java/lang/System", "in", IO),
            new Rule("java/io/File", null, IO),
            new Rule("java/io/FileDescriptor", null, IO),
            new Rule("java/io/FileInputStream", null, IO),
            new Rule("java/io/FileOutputStream", null, IO),
            new Rule("java/io/FileReader", null, IO),
            new Rule("java/io/FileWriter", null, IO),
            new Rule("java/io/RandomAccessFile", null, IO),
            new Rule("java/io/ObjectInputStream", null, IO),
            new Rule("java/io/ObjectOutputStream", null, IO),
            new Rule("java/io/PrintStream", "<init>", IO),
            new Rule("java/io/PrintWriter", "<init>", IO),
            new Rule("java/nio/file/", null, IO),
            new Rule("java/nio/channels/", null, IO),
            new Rule("java/net/", null, IO),
            new Rule("java/util/prefs/", null, IO),
            new Rule("java/util/jar/", null, IO),
            new Rule("java/util/zip/ZipFile", null, IO),
            new Rule("java/util/logging/FileHandler", null, IO),
            new Rule("java/beans/", null, REFLECTION),
            new Rule("java/sql/", null, IO),
            new Rule("java/awt/", null, IO),
            new Rule("javax/imageio/", null, IO),
            new Rule("javax/sound/", null, IO),
            new Rule("javax/xml/", null, IO),
            new Rule("com/google/gson/", null, REFLECTION),
            new Rule("ai/djl/util/Utils", null, IO),
            new Rule("ai/djl/Model", null, IO),
            new Rule("ai/djl/modality/cv/ImageFactory", null, IO),
            new Rule("java/rmi/", null, IO),
            new Rule("java/lang/management/", null, IO),
            new Rule("javax/management/", null, IO),
            new Rule("javax/naming/", null, IO),
            new Rule("javax/script/", null, IO),
            new Rule("javax/tools/", null, IO),
            new Rule("ai/djl/repository/", null, IO),
            new Rule("ai/djl/training/util/DownloadUtils", null, IO),
            new Rule("moelab/train/Checkpoint", null, IO),
            new Rule("moelab/train/CsvFile", null, IO),
            new Rule("moelab/train/MetricsLog", null, IO),
            new Rule("moelab/train/RoutingLog", null, IO),
            new Rule("moelab/inspect/ChartFiles", null, IO),
            new Rule("moelab/cli/", null, IO),
            new Rule("tech/tablesaw/io/", null, IO),
            new Rule("org/knowm/xchart/BitmapEncoder", null, IO),
            new Rule("org/knowm/xchart/VectorGraphicsEncoder", null, IO),
            new Rule("java/security/", null, GRADER),
            new Rule("sun/", null, GRADER),
            new Rule("jdk/", null, GRADER),
            new Rule("com/sun/", null, GRADER),
            new Rule("moelab/grading/", null, GRADER),
            new Rule("org/junit/", null, GRADER),
            new Rule("org/opentest4j/", null, GRADER),
            new Rule("org/objectweb/", null, GRADER),
            new Rule("picocli/", null, GRADER));

    /**
     * One rule: a class (nested classes included) or, with an owner ending in {@code /}, a
     * package prefix; {@code member} null for any use, else a member name or a prefix ending in
     * {@code *}.
     */
    record Rule(String owner, String member, String reason) {

        boolean matches(String refOwner, String refMember) {
            boolean ownerMatches = owner.endsWith("/") ? refOwner.startsWith(owner)
                    : refOwner.equals(owner) || refOwner.startsWith(owner + "$");
            if (!ownerMatches) {
                return false;
            }
            if (member == null) {
                return true;
            }
            if (refMember == null) {
                return false;
            }
            return member.endsWith("*") ? refMember.startsWith(member.substring(0, member.length() - 1))
                    : refMember.equals(member);
        }
    }

    private final List<Rule> rules;

    private ForbiddenCalls(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * The rules for one exercise: {@link #EVERY_EXERCISE} plus its {@link Forbids} entries
     * ({@code "moelab.routing.Capacity"} or {@code "moelab.routing.Capacity#assign"}).
     */
    static ForbiddenCalls forExercise(String id, Collection<String> forbids) {
        List<Rule> rules = new ArrayList<>();
        for (String target : forbids) {
            int hash = target.indexOf('#');
            String owner = (hash < 0 ? target : target.substring(0, hash)).replace('.', '/');
            String member = hash < 0 ? null : target.substring(hash + 1);
            rules.add(new Rule(owner, member, "exercise " + id + " asks you to write this yourself, so the toolkit's "
                    + target.replace('#', '.') + " is off limits here"));
        }
        rules.addAll(EVERY_EXERCISE);
        return new ForbiddenCalls(List.copyOf(rules));
    }

    /** Why a reference is forbidden, or null when it is allowed. */
    String reason(String owner, String member) {
        for (Rule rule : rules) {
            if (rule.matches(owner, member)) {
                return rule.reason();
            }
        }
        return null;
    }
}
