package moelab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code moelab} command line: {@code ./moelab <subcommand> [options]}.
 *
 * <p>Each subcommand is one picocli {@code @Command} class listed in {@code subcommands} below;
 * to add one, write the class in this package and add it to the list. The {@code lab},
 * {@code kernel}, {@code notebooks} and {@code grade} commands are handled by the {@code moelab}
 * launcher script and the grading module, not here.
 *
 * <p>Errors are one line on stderr that names the problem and the fix, with exit code {@value
 * CliErrors#EXIT_CODE}; {@code --debug} adds the stack trace. Engine and library log lines (DJL's
 * GPU probing and INFO lines) are shown with {@code --verbose} only.
 */
@Command(
        name = "moelab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Sparse Mixture-of-Experts MLP models on DJL.",
        footer = {
            "",
            "Launcher commands (see ./moelab --help): lab, kernel install, notebooks, grade."
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            InfoCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            CompareCommand.class,
            ExportCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "on an error, also print the stack trace")
    boolean debug;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "show the engine's log lines (device probing, threads)")
    boolean verbose;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        LogLevels.configure(List.of(args).contains("--verbose"));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /**
     * Runs one command line in this process.
     *
     * @return the exit status: 0, or {@value CliErrors#EXIT_CODE} after an error
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        CliErrors errors = new CliErrors(List.of(args).contains("--debug"));
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** Without a subcommand: print the usage and fail. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: one of info, train, eval, compare");
    }

    /** The version, from {@code moelab/version.properties} written by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/moelab/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "moelab " + p.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name")
            };
        }
    }
}
