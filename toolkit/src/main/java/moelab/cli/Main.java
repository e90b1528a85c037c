package moelab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code moelab} command line: {@code ./moelab <subcommand> [options]}.
 *
 * <p>Each subcommand is one picocli {@code @Command} class listed in {@code subcommands} below;
 * to add one, write the class in this package and add it to the list. The {@code lab},
 * {@code kernel}, {@code notebooks} and {@code grade} commands are handled by the {@code moelab}
 * launcher script and the grading module, not here.
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

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Without a subcommand: print the usage and fail. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
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
