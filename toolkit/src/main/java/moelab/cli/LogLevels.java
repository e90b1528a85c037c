package moelab.cli;

/**
 * The log levels of the command line. moelab logs through SLF4J with the {@code slf4j-simple}
 * binding (see the toolkit's pom), which reads its levels from system properties when the first
 * logger is made: so this must run before anything touches DJL. Quiet by default (DJL's GPU
 * probing warnings and engine INFO lines hidden, other warnings kept), everything at INFO with
 * {@code --verbose}.
 */
final class LogLevels {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private LogLevels() {}

    /** Sets the levels unless the user set them ({@code -Dorg.slf4j.simpleLogger...}). */
    static void configure(boolean verbose) {
        System.setProperty(PREFIX + "defaultLogLevel",
                System.getProperty(PREFIX + "defaultLogLevel", verbose ? "info" : "warn"));
        System.setProperty(PREFIX + "log.ai.djl",
                System.getProperty(PREFIX + "log.ai.djl", verbose ? "info" : "error"));
    }
}
