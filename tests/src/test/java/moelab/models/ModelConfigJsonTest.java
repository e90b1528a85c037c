package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigJsonTest {

    @Test
    void everyNamedConfigRoundTrips() {
        for (String name : ModelConfig.names()) {
            ModelConfig config = ModelConfig.byName(name);
            String json = config.toJson();
            assertThat(ModelConfig.fromJson(json)).as(json).isEqualTo(config);
        }
    }

    @Test
    void writesVersionFamilyAndKebabCaseParts() {
        String json = ModelConfig.byName("sparse-mlp-tiny").toJson();
        assertThat(json).contains("\"version\": 1", "\"family\": \"sparse-mlp\"",
                "\"capacity-factor\": 1.25", "\"router\": \"batch-priority\"",
                "\"token-experts\": 4", "\"image-size\": 28");
    }

    @Test
    void anUnknownFieldIsNamedWithTheValidOnes() {
        String json = ModelConfig.byName("switch-lm-tiny").toJson()
                .replace("\"capacity-factor\"", "\"capacity\"");
        assertThatThrownBy(() -> ModelConfig.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown field 'moe.capacity'")
                .hasMessageContaining("blocks, experts, top-k, router, capacity-factor, aux-loss-weight");
    }

    @Test
    void aMissingFieldVersionOrFamilyIsNamed() {
        String json = ModelConfig.byName("gmlp-lm-tiny").toJson();
        assertThatThrownBy(() -> ModelConfig.fromJson(json.replace("\"tied-embeddings\": true,", "")
                .replace(",\n    \"tied-embeddings\": true", "")))
                .hasMessageContaining("missing field 'lm.tied-embeddings'");
        assertThatThrownBy(() -> ModelConfig.fromJson(json.replace("\"version\": 1", "\"version\": 2")))
                .hasMessageContaining("'version' must be 1");
        assertThatThrownBy(() -> ModelConfig.fromJson(json.replace("\"gmlp\"", "\"gmpl\"")))
                .hasMessageContaining("'gmpl'").hasMessageContaining("valid families: mixer, sparse-mlp");
        assertThatThrownBy(() -> ModelConfig.fromJson("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void aValueOfTheWrongTypeOrRangeIsNamed() {
        String json = ModelConfig.byName("mixer-tiny").toJson();
        assertThatThrownBy(() -> ModelConfig.fromJson(json.replace("\"blocks\": 4", "\"blocks\": 4.5")))
                .hasMessageContaining("field 'mixer.blocks' = 4.5 is not a valid int");
        assertThatThrownBy(() -> ModelConfig.fromJson(json.replace("\"blocks\": 4", "\"blocks\": 0")))
                .hasMessage("mixer.blocks = 0: must be >= 1");
    }

    @Test
    void overridesSetDottedAndShortKeysWithTypedValues() {
        ModelConfig config = ModelConfigs.override(ModelConfig.byName("sparse-mlp-tiny"),
                List.of("moe.experts=8", "router=switch", "moe.capacity-factor=2", "name=variant",
                        "re-representation=false"));
        SparseMlpConfig sparse = (SparseMlpConfig) config;
        assertThat(sparse.moe()).isEqualTo(new MoePart(2, 8, 1, RouterKind.SWITCH, 2.0, 0.01));
        assertThat(sparse.name()).isEqualTo("variant");
        assertThat(sparse.reRepresentation()).isFalse();
        assertThat(((SparseMlpConfig) ModelConfigs.override(sparse, List.of("router=bpr"))).moe()
                .router()).isEqualTo(RouterKind.BATCH_PRIORITY);
    }

    @Test
    void overrideErrorsNameTheKeyAndTheValidKeys() {
        ModelConfig config = ModelConfig.byName("switch-lm-tiny");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("moe.expert=8")))
                .hasMessageContaining("unknown key 'moe.expert'")
                .hasMessageContaining("moe.experts").hasMessageContaining("lm.vocab-size");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("moe.experts=many")))
                .hasMessage("moe.experts=many: expected a number");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("router=fast")))
                .hasMessageContaining("unknown router 'fast'").hasMessageContaining("base-causal");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("blocks=2")))
                .hasMessageContaining("ambiguous key 'blocks'")
                .hasMessageContaining("lm.blocks, moe.blocks");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("moe.experts")))
                .hasMessageContaining("is not key=value");
        assertThatThrownBy(() -> ModelConfigs.override(config, List.of("lm.tied-embeddings=yes")))
                .hasMessage("lm.tied-embeddings=yes: expected true or false");
    }
}
