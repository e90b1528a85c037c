package moelab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import moelab.moe.ExpertExecution;
import org.junit.jupiter.api.Test;

/** The benchmark's case names: what each one builds, and a clear error for a typo. */
class LayerCaseTest {

    @Test
    void readsDenseAndMoeNames() {
        assertThat(LayerCase.parse("dense-k2")).isEqualTo(new LayerCase(0, 2, 0, null));
        assertThat(LayerCase.parse("moe-E8-k1-cf1.25-sorted"))
                .isEqualTo(new LayerCase(8, 1, 1.25, ExpertExecution.SORTED));
        assertThat(LayerCase.parse("moe-E64-k2-dropless-padded"))
                .isEqualTo(new LayerCase(64, 2, 0, ExpertExecution.PADDED));
        assertThat(LayerCase.parse("dense-k1").dense()).isTrue();
    }

    @Test
    void typosAreRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"moe-E8-k1-cf1.25", "moe-8-k1-cf1.25-sorted",
            "moe-E8-k1-cf1.25-fast", "sparse-k1"}) {
            assertThatThrownBy(() -> LayerCase.parse(bad)).as(bad)
                    .hasMessageContaining("unknown layer case '" + bad + "'")
                    .hasMessageContaining("moe-E<experts>-k<1|2>-<cf1.25|dropless>-<padded|sorted>");
        }
    }
}
