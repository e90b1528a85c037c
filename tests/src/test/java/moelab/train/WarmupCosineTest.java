package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupCosineTest {

    @Test
    void linearWarmupThenCosineAtHandCheckedSteps() {
        // peak 1, final 0, W = 4 warm-up updates, N = 12 in all: cosine over the last 8.
        WarmupCosine lr = new WarmupCosine(1.0, 0.0, 4, 12);
        assertThat(lr.getNewValue(1)).isCloseTo(0.25f, within(1e-6f));
        assertThat(lr.getNewValue(2)).isCloseTo(0.50f, within(1e-6f));
        assertThat(lr.getNewValue(3)).isCloseTo(0.75f, within(1e-6f));
        assertThat(lr.getNewValue(4)).isCloseTo(1.00f, within(1e-6f)); // peak at t = W
        // t = 6: ½(1 + cos(π·2/8)) = ½(1 + √2/2)
        assertThat(lr.getNewValue(6)).isCloseTo((float) (0.5 * (1 + Math.sqrt(0.5))), within(1e-6f));
        assertThat(lr.getNewValue(8)).isCloseTo(0.50f, within(1e-6f)); // half way down
        assertThat(lr.getNewValue(12)).isCloseTo(0.0f, within(1e-6f)); // final at t = N
        assertThat(lr.getNewValue(20)).isCloseTo(0.0f, within(1e-6f)); // then constant
    }

    @Test
    void decaysToTheFinalValue() {
        WarmupCosine lr = new WarmupCosine(0.01, 0.001, 0, 10);
        assertThat(lr.getNewValue(1)).isCloseTo(
                (float) (0.001 + 0.009 * 0.5 * (1 + Math.cos(Math.PI / 10))), within(1e-7f));
        assertThat(lr.getNewValue(5)).isCloseTo(0.0055f, within(1e-7f));
        assertThat(lr.getNewValue(10)).isCloseTo(0.001f, within(1e-7f));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new WarmupCosine(0, 0, 1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmupCosine(1, 1, 1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmupCosine(1, 0, 1, 10).getNewValue(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
