package moelab.grading;

import java.util.List;

/**
 * The grade of one exercise: its tests, a status and a score in {@code [0, 1]} (the fraction of
 * its tests that passed; 0 whenever the tests could not run to the end).
 *
 * @param id exercise id
 * @param status how it went
 * @param tests the tests that finished (empty when none ran)
 * @param message what went wrong, for the student; null when all passed
 */
public record ExerciseResult(String id, Status status, List<ExerciseMain.TestRecord> tests, String message) {

    /** How grading an exercise ended. */
    public enum Status {
        /** Every test passed. */
        PASSED,
        /** Some test failed. */
        FAILED,
        /** Every test failed on the untouched stub. */
        NOT_ATTEMPTED,
        /** The exercise cell does not compile. */
        COMPILE_ERROR,
        /** The compiled cell calls something the exercise may not use ({@link Forbids}, reflection, processes...). */
        FORBIDDEN,
        /** The tests ran past the time limit (or the total time budget was spent) and were killed. */
        TIMEOUT,
        /** The run's resident memory (heap and native, all its processes) went over the cap. */
        MEMORY_LIMIT,
        /** The test JVM ended before the tests finished (e.g. {@code System.exit}). */
        CRASHED,
        /** The notebook has no cell for this exercise. */
        MISSING,
        /** No tests exist for this exercise id: a problem of the course, not of the student. */
        NO_TESTS
    }

    /** Number of tests that passed. */
    public long passed() {
        return tests.stream().filter(t -> t.status().equals("PASSED")).count();
    }

    /** Whether the exercise's tests all ran (passed or not). */
    public boolean ranToEnd() {
        return status == Status.PASSED || status == Status.FAILED || status == Status.NOT_ATTEMPTED;
    }

    /** Fraction of tests passed; 0 unless the tests ran to the end. */
    public double score() {
        return ranToEnd() && !tests.isEmpty() ? (double) passed() / tests.size() : 0;
    }
}
