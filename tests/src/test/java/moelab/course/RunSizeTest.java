package moelab.course;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSizeTest {

    @Test
    void propertyBeatsEnvironmentAndSmokeFlag() {
        assertThat(RunSize.fromSettings("gpu", Map.of("MOELAB_SMOKE", "1"))).isEqualTo(RunSize.GPU);
        assertThat(RunSize.fromSettings(null, Map.of("MOELAB_SIZE", "Default", "MOELAB_SMOKE", "1"))).isEqualTo(RunSize.DEFAULT);
        assertThat(RunSize.fromSettings(null, Map.of("MOELAB_SMOKE", "1"))).isEqualTo(RunSize.SMOKE);
        assertThat(RunSize.fromSettings(" ", Map.of())).isNull();
    }

    @Test
    void aWrongValueSaysWhichSettingAndTheChoices() {
        assertThatThrownBy(() -> RunSize.fromSettings(null, Map.of("MOELAB_SIZE", "huge")))
                .hasMessage("MOELAB_SIZE is 'huge'; use smoke, default or gpu");
    }

    @Test
    void pickFollowsTheSize() {
        assertThat(RunSize.SMOKE.pick(1, 2, 3)).isEqualTo(1);
        assertThat(RunSize.DEFAULT.pick(1, 2, 3)).isEqualTo(2);
        assertThat(RunSize.GPU.pick(0.5, 1.5, 2.5)).isEqualTo(2.5);
    }
}
