package moelab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import moelab.data.DatasetException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the command line reports an error: one line on stderr, {@code moelab <command>: <what went
 * wrong and how to fix it>}, exit code {@value #EXIT_CODE}; the stack trace only with {@code
 * --debug}. Messages of moelab's exceptions already name the value and the fix (an unknown name
 * lists the known ones, a missing dataset says how to fetch it); multi-line ones are joined.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Exit code of every error. */
    static final int EXIT_CODE = 2;

    private final boolean debug;

    CliErrors(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(prefix(command) + describe(e));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_CODE;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(prefix(command) + oneLine(e.getMessage()) + " (see "
                + command.getCommandSpec().qualifiedName() + " --help)");
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_CODE;
    }

    private static String prefix(CommandLine command) {
        return command.getCommandSpec().qualifiedName() + ": ";
    }

    /** The message a user can act on; an unexpected exception says so and how to see more. */
    static String describe(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException && e.getCause() != null
                && e.getMessage() == null ? e.getCause() : e;
        boolean expected = shown instanceof IllegalArgumentException
                || shown instanceof IllegalStateException || shown instanceof UncheckedIOException
                || shown instanceof java.io.IOException || shown instanceof DatasetException;
        String message = shown.getMessage() == null ? "" : oneLine(shown.getMessage());
        if (expected && !message.isEmpty()) {
            return message;
        }
        return "internal error " + shown.getClass().getSimpleName()
                + (message.isEmpty() ? "" : ": " + message)
                + " (rerun with --debug for the stack trace, and report it)";
    }

    /** Joins the lines of a message: after a colon with a space, else with "; ". */
    static String oneLine(String message) {
        StringBuilder line = new StringBuilder();
        for (String part : message.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList()) {
            if (!line.isEmpty()) {
                line.append(line.charAt(line.length() - 1) == ':' ? " " : "; ");
            }
            line.append(part);
        }
        return line.toString();
    }
}
