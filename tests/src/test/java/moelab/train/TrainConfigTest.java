package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static final TrainConfig BASE = TrainConfig.builder().optEpochs(10).optBatchSize(32)
            .build();

    @Test
    void smokeCapsTheRunToOneShortEpoch() {
        TrainConfig smoke = BASE.withEnvironment(Map.of("MOELAB_SMOKE", "1"));
        assertThat(smoke.smoke()).isTrue();
        assertThat(smoke.epochs()).isEqualTo(1);
        assertThat(smoke.maxSteps()).isEqualTo(TrainConfig.SMOKE_STEPS);
        assertThat(smoke.totalSteps(1000)).isEqualTo(TrainConfig.SMOKE_STEPS);
        assertThat(BASE.withEnvironment(Map.of("MOELAB_SMOKE", "0")).smoke()).isFalse();
    }

    @Test
    void maxStepsCapsTheTotal() {
        TrainConfig capped = BASE.withEnvironment(Map.of("MOELAB_MAX_STEPS", "7"));
        assertThat(capped.totalSteps(100)).isEqualTo(7);
        assertThat(capped.totalSteps(0)).isZero();
        assertThat(BASE.totalSteps(100)).isEqualTo(1000);
        // the smaller of an explicit cap and the environment's wins
        assertThat(BASE.toBuilder().optMaxSteps(3).build()
                .withEnvironment(Map.of("MOELAB_MAX_STEPS", "7")).maxSteps()).isEqualTo(3);
        assertThatThrownBy(() -> BASE.withEnvironment(Map.of("MOELAB_MAX_STEPS", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MOELAB_MAX_STEPS");
    }

    @Test
    void warmupDefaultsToFivePercent() {
        assertThat(BASE.warmupSteps(1000)).isEqualTo(50);
        assertThat(BASE.warmupSteps(3)).isEqualTo(1);
        assertThat(BASE.toBuilder().optWarmupSteps(20).build().warmupSteps(10)).isEqualTo(10);
    }

    @Test
    void survivesAJsonRoundTrip() {
        TrainConfig c = TrainConfig.builder().optModel("lm-tiny").optDataset("kjv").optEpochs(2)
                .optBatchSize(8).optLearningRate(3e-4).optWeightDecay(0.1).optClipNorm(0.5)
                .optSeed(99).optMaxSteps(123).optCheckpointEvery(50).optAuxLossWeight(0.5).build();
        assertThat(TrainConfig.fromJson(c.toJson())).isEqualTo(c);
        assertThat(TrainConfig.fromJson(c.toJson()).learningRate()).isEqualTo(3e-4);
        // missing keys take the defaults
        assertThat(TrainConfig.fromJson("{\"epochs\": 3}"))
                .isEqualTo(TrainConfig.builder().optEpochs(3).build());
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"epochs\": \"many\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> TrainConfig.builder().optBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize=0 must be at least 1");
        assertThatThrownBy(() -> TrainConfig.builder().optLearningRate(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate=-1.0 must be positive");
        assertThatThrownBy(() -> TrainConfig.builder().optEpochs(-1).build())
                .hasMessageContaining("epochs=-1 must be at least 1");
    }
}
