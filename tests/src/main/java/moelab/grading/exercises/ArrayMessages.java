package moelab.grading.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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

    /** Fails unless the shapes match and every entry is within {@code tolerance} relative to max(1, |expected|). */
    static void assertArrayClose(String input, NDArray expected, NDArray actual, float tolerance) {
        assertEquals(expected.getShape(), actual.getShape(), input + ": output shape");
        assertArrayClose(input, expected.toType(DataType.FLOAT32, false).toFloatArray(),
                actual.toType(DataType.FLOAT32, false).toFloatArray(), tolerance);
    }

    /** Fails unless every entry is within {@code tolerance} relative to max(1, |expected|); NaN never is. */
    static void assertArrayClose(String input, float[] expected, float[] actual, float tolerance) {
        if (expected.length != actual.length) {
            fail(input + ": expected " + expected.length + " values " + shorten(expected) + " but got " + actual.length + " " + shorten(actual));
        }
        for (int i = 0; i < expected.length; i++) {
            float scale = Math.max(1f, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * scale)) {
                throw new AssertionError(input + ": expected " + shorten(expected) + " but was " + shorten(actual)
                        + " (first difference at flat index " + i + ": expected " + expected[i] + ", was " + actual[i] + ")");
            }
        }
    }

    /** At most 24 values of an array, then its length. */
    static String shorten(float[] values) {
        if (values.length <= 24) {
            return Arrays.toString(values);
        }
        return Arrays.toString(Arrays.copyOf(values, 24)).replace("]", ", ... (" + values.length + " values)]");
    }
}
