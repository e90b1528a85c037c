package moelab.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import moelab.models.Cost;
import moelab.models.ModelConfig;
import moelab.models.ModelConfigs;
import moelab.models.MoePart;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code moelab info}: the resolved config (as JSON), parameters (total and active per example),
 * FLOPs per example and, for language models, causality in training and evaluation, of a named
 * model configuration with optional {@code --set} overrides; or a table comparing all of them.
 *
 * <pre>
 * moelab info --config mixer-b16          # one config; prints "parameters: 59880472"
 * moelab info --config base-lm-tiny --set router=base-causal --set moe.experts=8
 * moelab info --config smlp-lm-tiny --build   # also builds the block and counts its arrays
 * moelab info --all                       # every named config in one table
 * </pre>
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "The resolved config, parameter and FLOP accounting and causality of the"
                + " named model configurations.")
public final class InfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Selection selection;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config field, e.g. moe.experts=8, router=bpr,"
                    + " moe.capacity-factor=2 (repeatable; an unknown key lists the valid ones).")
    private List<String> settings = new ArrayList<>();

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
            if (!settings.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--set applies to one config:"
                        + " use it with --config NAME, not --all");
            }
            out.println(table(ModelConfig.names()).printAll());
        } else {
            describe(ModelConfigs.override(ModelConfig.byName(selection.config), settings), out);
        }
        out.flush();
        return 0;
    }

    private void describe(ModelConfig config, PrintWriter out) {
        Cost cost = config.cost();
        out.println(config.toJson());
        out.println("parameters: " + cost.parameters());
        out.println("active parameters: " + cost.activeParameters());
        out.println("flops per " + unit(config) + ": " + cost.flops());
        if (config.isLanguageModel()) {
            out.println("causal in training: " + yesNo(config.causalInTraining()));
            out.println("causal in evaluation: " + yesNo(config.causalInEvaluation()));
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

    private static String yesNo(boolean causal) {
        return causal ? "yes" : "no";
    }

    private static String unit(ModelConfig config) {
        return config.isLanguageModel() ? "token" : "image";
    }

    /** One row per config: parameters, active parameters, FLOPs, experts, router, causality. */
    static Table table(List<String> names) {
        StringColumn name = StringColumn.create("config");
        StringColumn family = StringColumn.create("family");
        LongColumn parameters = LongColumn.create("parameters");
        LongColumn active = LongColumn.create("active parameters");
        LongColumn flops = LongColumn.create("FLOPs per example");
        StringColumn per = StringColumn.create("per");
        IntColumn experts = IntColumn.create("experts");
        IntColumn sparse = IntColumn.create("sparse blocks");
        StringColumn router = StringColumn.create("router");
        StringColumn causal = StringColumn.create("causal (train/eval)");
        for (String n : names) {
            ModelConfig config = ModelConfig.byName(n);
            Cost cost = config.cost();
            MoePart moe = config.moe();
            name.append(n);
            family.append(config.family().key());
            parameters.append(cost.parameters());
            active.append(cost.activeParameters());
            flops.append(cost.flops());
            per.append(unit(config));
            experts.append(moe.blocks() == 0 ? 0 : moe.experts());
            sparse.append(moe.blocks());
            router.append(moe.blocks() == 0 ? "-" : moe.router().key());
            causal.append(config.isLanguageModel() ? yesNo(config.causalInTraining()) + "/"
                    + yesNo(config.causalInEvaluation()) : "-");
        }
        return Table.create("moelab model configs").addColumns(name, family, parameters, active,
                flops, per, experts, sparse, router, causal);
    }
}
