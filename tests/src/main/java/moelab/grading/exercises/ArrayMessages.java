package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Assertions whose failure message names the input, the expected and the actual value, so a
 * student sees what went wrong without reading the test: {@code softmax([[0, 0], [1000, 1000]]):
 * expected [0.5, 0.5, 0.5, 0.5] but got [NaN, NaN, 0.5, 0.5]}.
 */
final class ArrayMessages {

    private ArrayMessages() {}

    /** Values of an array with its shape, e.g. {@code (2, 2) [0.5, 0.5, 0.5, 0.5]}. */
    static String show(NDArray a) {
        return a.getShape() + " " + Arrays.toString(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
    }

    /** Fails unless every entry is within {@code tolerance} (NaN never is). */
    static void assertClose(float[] expected, float[] actual, float tolerance, String call) {
        boolean ok = expected.length == actual.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = Math.abs(expected[i] - actual[i]) <= tolerance;
        }
        if (!ok) {
            fail(call + ":\n  expected " + Arrays.toString(expected) + "\n  but got  " + Arrays.toString(actual)
                    + (expected.length == actual.length ? "" : "\n  (" + expected.length + " values expected, got " + actual.length + ")"));
        }
    }

    /** Fails unless {@code actual} is within {@code tolerance} of {@code expected} (NaN never is). */
    static void assertClose(double expected, double actual, double tolerance, String call) {
        if (!(Math.abs(expected - actual) <= tolerance)) {
            fail(call + ": expected " + expected + " but got " + actual);
        }
    }

    /** Fails unless the arrays are equal. */
    static void assertSame(int[] expected, int[] actual, String call) {
        if (!Arrays.equals(expected, actual)) {
            fail(call + ":\n  expected " + Arrays.toString(expected) + "\n  but got  " + Arrays.toString(actual));
        }
    }

    /** Fails unless the arrays are equal. */
    static void assertSame(int[][] expected, int[][] actual, String call) {
        if (!Arrays.deepEquals(expected, actual)) {
            fail(call + ":\n  expected " + Arrays.deepToString(expected) + "\n  but got  " + Arrays.deepToString(actual));
        }
    }

    /** Fails unless the arrays are equal. */
    static void assertSame(long[][] expected, long[][] actual, String call) {
        if (!Arrays.deepEquals(expected, actual)) {
            fail(call + ":\n  expected " + Arrays.deepToString(expected) + "\n  but got  " + Arrays.deepToString(actual));
        }
    }

    /** Fails unless {@code actual} is what was expected. */
    static void assertSame(Object expected, Object actual, String call) {
        if (!java.util.Objects.equals(expected, actual)) {
            fail(call + ": expected " + expected + " but got " + actual);
        }
    }
}
