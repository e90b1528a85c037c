package moelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {

    /** One channel, 3×3: 1 2 3 / 4 5 6 / 7 8 9. */
    private static final byte[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static byte[] crop(int top, int left, boolean flip) {
        byte[] out = new byte[9];
        new RandomCropFlip(1, 0.5)
                .apply(IMAGE, 0, 1, 3, 3, new RandomCropFlip.Placement(top, left, flip), out, 0);
        return out;
    }

    @Test
    void centredWindowWithoutFlipIsTheImage() {
        assertThat(crop(1, 1, false)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void topLeftWindowShiftsTheImageDownRightAndPadsWithZeros() {
        assertThat(crop(0, 0, false)).containsExactly(0, 0, 0, 0, 1, 2, 0, 4, 5);
    }

    @Test
    void bottomRightWindowShiftsTheImageUpLeft() {
        assertThat(crop(2, 2, false)).containsExactly(5, 6, 0, 8, 9, 0, 0, 0, 0);
    }

    @Test
    void flipMirrorsEachRow() {
        assertThat(crop(1, 1, true)).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
    }

    @Test
    void cropThenFlipMirrorsTheCroppedWindow() {
        // window starting at padded column 0 is "0 1 2", mirrored "2 1 0"
        assertThat(crop(1, 0, true)).containsExactly(2, 1, 0, 5, 4, 0, 8, 7, 0);
    }

    @Test
    void appliesToEveryChannelAndRespectsOffsets() {
        byte[] twoChannels = {0, 0, 1, 2, 3, 4, 10, 20, 30, 40}; // 2 junk bytes, then (2, 2, 2)
        byte[] out = new byte[10];
        new RandomCropFlip(1, 0.5)
                .apply(twoChannels, 2, 2, 2, 2, new RandomCropFlip.Placement(1, 1, true), out, 2);
        assertThat(out).containsExactly(0, 0, 2, 1, 4, 3, 20, 10, 40, 30);
    }

    @Test
    void drawsStayInRangeAndFlipAboutHalfTheTime() {
        RandomCropFlip augmentation = RandomCropFlip.cifar();
        SplittableRandom random = new SplittableRandom(7);
        int flips = 0;
        boolean[] seenTop = new boolean[9];
        for (int i = 0; i < 10_000; i++) {
            RandomCropFlip.Placement p = augmentation.draw(random);
            assertThat(p.top()).isBetween(0, 8);
            assertThat(p.left()).isBetween(0, 8);
            seenTop[p.top()] = true;
            flips += p.flip() ? 1 : 0;
        }
        assertThat(seenTop).containsOnly(true);
        assertThat(flips).isBetween(4_800, 5_200);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RandomCropFlip(-1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RandomCropFlip(4, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
