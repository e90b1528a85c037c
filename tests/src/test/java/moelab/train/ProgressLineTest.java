package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void showsPercentRateAndEta() {
        AtomicLong now = new AtomicLong();
        ProgressLine bar = new ProgressLine(new PrintStream(new ByteArrayOutputStream()),
                ProgressLine.Mode.LINES, now::get);
        bar.start("train", 0, 100);
        now.set(10_000_000_000L); // 10 s for 25 steps: 2.5 step/s, 75 left → 30 s
        String line = bar.render(25, "loss 0.5", now.get());
        assertThat(line).startsWith("train [######------------------]  25% 25/100")
                .contains("2.50 step/s").contains("ETA 0:30").endsWith("loss 0.5");
        assertThat(ProgressLine.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void plainLinesEveryTenthWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressLine bar = new ProgressLine(new PrintStream(bytes, true), ProgressLine.Mode.LINES,
                now::get);
        bar.start("train", 0, 100);
        for (int s = 1; s <= 100; s++) {
            now.addAndGet(1_000_000);
            bar.update(s, "");
        }
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\r");
        assertThat(out.lines().count()).isEqualTo(11); // step 1, then 10%, 20% … 100%
        assertThat(out.lines().reduce((a, b) -> b).orElseThrow()).contains("100% 100/100");
    }

    @Test
    void oneRedrawnLineOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressLine bar = new ProgressLine(new PrintStream(bytes, true),
                ProgressLine.Mode.TERMINAL, now::get);
        bar.start("train", 0, 5);
        for (int s = 1; s <= 5; s++) {
            now.addAndGet(200_000_000); // 0.2 s apart: every update is drawn
            bar.update(s, "");
        }
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(5);
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}
