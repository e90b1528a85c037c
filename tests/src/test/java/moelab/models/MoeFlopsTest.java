package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoeFlopsTest {

    @Test
    void goldenCountsWorkedByHand() {
        // T=8, d=4, h=8, E=2: router 2·4·2 = 16; one expert row costs 4·4·8 = 128
        assertThat(MoeFlops.perToken(8, 4, 8, 2, 1, 1.0)).isEqualTo(16 + 2 * 4 * 128 / 8.0);
        assertThat(MoeFlops.perToken(8, 4, 8, 2, 1, 1.25)).isEqualTo(16 + 2 * 5 * 128 / 8.0);
        assertThat(MoeFlops.perToken(8, 4, 8, 2, 2, 0)).isEqualTo(16 + 2 * 128);
        assertThat(MoeFlops.perToken(8, 4, 8, 3, 1, 1.0)).isEqualTo(24 + 3 * 3 * 128 / 8.0);
    }

    @Test
    void topOneWithoutPaddingIsTheDenseFfnPlusTheRouter() {
        assertThat(MoeFlops.perToken(4096, 256, 1024, 8, 1, 1.0))
                .isEqualTo(MoeFlops.denseFfnPerToken(256, 1024) + 2 * 256 * 8);
        assertThat(MoeFlops.denseFfnPerToken(256, 1024) * 4096)
                .isEqualTo(Cost.feedForward(256, 1024, 4096).flops());
    }
}
