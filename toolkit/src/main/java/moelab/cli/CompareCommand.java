package moelab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import moelab.train.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moelab compare --out DIR RUN...}: finished training runs side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare finished runs: summary.csv, summary.md and comparison.png")
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "where the summary table and chart go")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "run directories (--out of train)")
    List<Path> runs;

    @Override
    public Integer call() {
        RunComparison comparison = new RunComparison(runs);
        comparison.write(out);
        System.out.print(comparison.summaryTable());
        System.out.println("wrote " + out.resolve(RunComparison.MARKDOWN) + " and "
                + out.resolve(RunComparison.PLOT));
        return 0;
    }
}
