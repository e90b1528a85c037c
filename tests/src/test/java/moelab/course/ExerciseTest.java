package moelab.course;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExerciseTest {

    @Test
    void aSolvedExerciseGivesTheStudentsResult() {
        assertThat(Exercise.orToolkit("01-x", () -> 1, () -> 2)).isEqualTo(1);
    }

    @Test
    void aStubFallsBackToTheToolkit() {
        assertThat(Exercise.<Integer>orToolkit("01-x", () -> {
            throw new UnsupportedOperationException("exercise 01-x");
        }, () -> 2)).isEqualTo(2);
        assertThat(Exercise.<Integer>orToolkit("01-y", () -> {
            throw new UnsupportedOperationException("exercise 01-x");
        }, () -> 3)).isEqualTo(3);
    }

    @Test
    void aBugInTheStudentsCodeIsNotHidden() {
        assertThatThrownBy(() -> Exercise.orToolkit("01-x", () -> {
            throw new UnsupportedOperationException("not a stub");
        }, () -> 2)).hasMessage("not a stub");
        assertThatThrownBy(() -> Exercise.orToolkit("01-x", () -> {
            throw new IllegalStateException("exercise 01-x");
        }, () -> 2)).isInstanceOf(IllegalStateException.class);
    }
}
