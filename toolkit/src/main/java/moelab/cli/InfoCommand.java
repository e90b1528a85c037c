package moelab.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import moelab.models.Cost;
import moelab.models.ModelConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code moelab info}: parameters (total and active per example) and FLOPs per example of a named
 * model configuration, or a table comparing all of them.
 *
 * <pre>
 * moelab info --config mixer-b16          # one config; prints "parameters: 59880472"
 * moelab info --config smlp-lm-tiny --build   # also builds the block and counts its arrays
 * moelab info --all                       # every named config in one table
 * </pre>
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Parameter and FLOP accounting of the named model configurations.")
public final class InfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Selection selection;

    @Option(names = "--build",
            description = "Also build and initialise the model and count the parameters DJL holds.")
    private boolean build;

    /** Which configs to describe: exactly one of the two options. */
    static final class Selection {
        @Option(names = "--config", paramLabel = "NAME",
                description = "A named config, e.g. mixer-tiny, sparse-mlp-b16, smlp-lm-tiny.")
        String config;

        @Option(names = "--all", description = "A table of every named config.")
        boolean all;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (selection.all) {
            out.println(table(ModelConfig.names()).printAll());
        } else {
            describe(ModelConfig.byName(selection.config), out);
        }
        out.flush();
        return 0;
    }

    private void describe(ModelConfig config, PrintWriter out) {
        Cost cost = config.cost();
        out.println("config: " + config.name());
        out.println("family: " + config.family());
        out.println("parameters: " + cost.parameters());
        out.println("active parameters: " + cost.activeParameters());
        out.println("flops per " + unit(config) + ": " + cost.flops());
        out.println("sparse blocks: " + config.sparseBlockCount() + " of " + config.numBlocks());
        if (config.sparseBlockCount() > 0) {
            String token = config.family() == ModelConfig.Family.TRANSFORMER_MOE
                    ? "" : "token mixing " + config.tokenMixingExperts() + ", ";
            out.println("experts: " + token + "channel mixing " + config.channelMixingExperts()
                    + ", router " + config.router());
        }
        if (build) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = config.build();
                block.initialize(manager, DataType.FLOAT32, config.inputShape(1));
                long counted = block.getParameters().stream()
                        .mapToLong(p -> p.getValue().getArray().size()).sum();
                out.println("parameters (built): " + counted);
            }
        }
    }

    private static String unit(ModelConfig config) {
        return config.family().isLanguageModel() ? "token" : "image";
    }

    /** One row per config: parameters, active parameters, FLOPs, experts, sparse blocks. */
    static Table table(List<String> names) {
        StringColumn name = StringColumn.create("config");
        StringColumn family = StringColumn.create("family");
        LongColumn parameters = LongColumn.create("parameters");
        LongColumn active = LongColumn.create("active parameters");
        LongColumn flops = LongColumn.create("FLOPs per example");
        StringColumn per = StringColumn.create("per");
        IntColumn tokenExperts = IntColumn.create("token-mixing experts");
        IntColumn channelExperts = IntColumn.create("channel-mixing experts");
        IntColumn sparse = IntColumn.create("sparse blocks");
        for (String n : names) {
            ModelConfig config = ModelConfig.byName(n);
            Cost cost = config.cost();
            boolean routed = config.sparseBlockCount() > 0;
            name.append(n);
            family.append(config.family().name());
            parameters.append(cost.parameters());
            active.append(cost.activeParameters());
            flops.append(cost.flops());
            per.append(unit(config));
            boolean tokenMoe = routed && config.family() != ModelConfig.Family.TRANSFORMER_MOE;
            tokenExperts.append(tokenMoe ? config.tokenMixingExperts() : 0);
            channelExperts.append(routed ? config.channelMixingExperts() : 0);
            sparse.append(config.sparseBlockCount());
        }
        return Table.create("moelab model configs").addColumns(name, family, parameters, active,
                flops, per, tokenExperts, channelExperts, sparse);
    }
}
