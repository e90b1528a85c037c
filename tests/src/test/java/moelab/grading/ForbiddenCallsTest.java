package moelab.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules name classes (nested ones included), package prefixes or single members, nothing more. */
class ForbiddenCallsTest {

    private final ForbiddenCalls rules = ForbiddenCalls.forExercise("02-assign", List.of("moelab.routing.Capacity#assign", "moelab.moe.Dispatch"));

    @Test
    void escapeHatchesAreForbiddenForEveryExercise() {
        assertThat(rules.reason("java/lang/Runtime", "addShutdownHook")).contains("processes");
        assertThat(rules.reason("java/lang/Runtime$Version", null)).isNotNull();
        assertThat(rules.reason("java/lang/System", "exit")).isNotNull();
        assertThat(rules.reason("java/lang/reflect/Method", "invoke")).contains("reflection");
        assertThat(rules.reason("java/lang/Class", "getDeclaredField")).contains("reflection");
        assertThat(rules.reason("java/nio/file/Files", "delete")).contains("files");
        assertThat(rules.reason("java/net/Socket", "<init>")).isNotNull();
        assertThat(rules.reason("moelab/grading/Student", "method")).isNotNull();
    }

    @Test
    void ordinaryCodeIsAllowed() {
        assertThat(rules.reason("java/lang/RuntimeException", "<init>")).isNull();
        assertThat(rules.reason("java/lang/ThreadLocal", "get")).isNull();
        assertThat(rules.reason("java/lang/System", "out")).isNull();
        assertThat(rules.reason("java/lang/Class", "getName")).isNull();
        assertThat(rules.reason("java/util/Arrays", "fill")).isNull();
        assertThat(rules.reason("ai/djl/ndarray/NDArray", "softmax")).isNull();
        assertThat(rules.reason("moelab/routing/Capacity", "of")).isNull();
    }

    @Test
    void anExerciseForbidsTheToolkitsImplementationOfWhatItAsks() {
        assertThat(rules.reason("moelab/routing/Capacity", "assign")).contains("02-assign", "write this yourself");
        assertThat(rules.reason("moelab/moe/Dispatch", null)).contains("moelab.moe.Dispatch");
        assertThat(rules.reason("moelab/moe/Dispatch$Plan", "of")).isNotNull();
        assertThat(rules.reason("moelab/moe/DispatchCombine", null)).isNull();
    }
}
