package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only lines signed with this run's key, in sequence, reach the grader. */
class VerdictChannelTest {

    private static List<String> signed(String secret, String... payloads) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VerdictChannel.Signer signer = new VerdictChannel.Signer(secret, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (String p : payloads) {
            signer.send(p);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void authenticLinesArriveInOrder() {
        String secret = VerdictChannel.newSecret();
        VerdictChannel.Verifier verifier = new VerdictChannel.Verifier(secret);
        List<String> lines = signed(secret, "a", "b");
        assertThat(verifier.accept("noise " + lines.get(0))).isEqualTo("a");   // a partial line before it does no harm
        assertThat(verifier.accept(lines.get(1))).isEqualTo("b");
        assertThat(verifier.rejected()).isZero();
    }

    @Test
    void forgedReplayedAndReorderedLinesAreRejected() {
        String secret = VerdictChannel.newSecret();
        List<String> lines = signed(secret, "a", "b");
        List<String> otherRun = signed(VerdictChannel.newSecret(), "a", "b");
        VerdictChannel.Verifier verifier = new VerdictChannel.Verifier(secret);
        assertThat(verifier.accept(otherRun.get(0))).as("a line of another run").isNull();
        assertThat(verifier.accept(lines.get(1))).as("out of order").isNull();
        assertThat(verifier.accept(lines.get(0).replace(lines.get(0).split(" ")[2], "Yg=="))).as("payload swapped").isNull();
        assertThat(verifier.accept("MOELAB-VERDICT 0 YQ== AAAA")).as("made-up MAC").isNull();
        assertThat(verifier.accept(lines.get(0))).isEqualTo("a");
        assertThat(verifier.accept(lines.get(0))).as("replayed").isNull();
        assertThat(verifier.rejected()).isEqualTo(5);
    }
}
