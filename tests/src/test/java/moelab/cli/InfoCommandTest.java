package moelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import moelab.models.ModelConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InfoCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new InfoCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void printsTheExactMixerB16ParameterCount() {
        assertThat(run("--config", "mixer-b16").lines()).contains("parameters: 59880472");
    }

    @Test
    void printsActiveParametersAndFlopsOfASparseModel() {
        ModelConfig config = ModelConfig.byName("sparse-mlp-tiny");
        assertThat(run("--config", "sparse-mlp-tiny").lines()).contains(
                "active parameters: " + config.activeParameterCount(),
                "flops per image: " + config.flopsPerExample());
    }

    @Test
    void tablesEveryNamedConfig() {
        String table = run("--all");
        for (String name : ModelConfig.names()) {
            assertThat(table).contains(name);
        }
        assertThat(table).contains("active parameters", "FLOPs per example", "sparse blocks");
    }

    @Test
    void printsTheResolvedConfigAndCausalityOfALanguageModel() {
        String out = run("--config", "base-lm-tiny", "--set", "moe.experts=8");
        assertThat(out).contains("\"family\": \"transformer-moe\"", "\"experts\": 8",
                "\"router\": \"base\"");
        assertThat(out.lines()).contains("causal in training: no", "causal in evaluation: yes");
        assertThat(run("--config", "base-lm-tiny", "--set", "router=base-causal").lines())
                .contains("causal in training: yes");
        assertThat(run("--config", "mixer-tiny")).doesNotContain("causal");
    }

    @Test
    void tablesCausalityForLanguageModels() {
        String table = run("--all");
        assertThat(table).contains("causal (train/eval)", "no/yes", "yes/yes");
    }

    @Test
    void rejectsAnUnknownConfigAndAMissingSelection() {
        CommandLine cli = new CommandLine(new InfoCommand());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("--config", "mixer-huge")).isNotZero();
        assertThat(cli.execute()).isNotZero();
        assertThat(cli.execute("--config", "mixer-tiny", "--set", "moe.experts=2")).isNotZero();
        assertThat(cli.execute("--all", "--set", "moe.experts=2")).isNotZero();
    }
}
