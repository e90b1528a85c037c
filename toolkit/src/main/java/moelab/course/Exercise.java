package moelab.course;

import java.util.function.Supplier;

/**
 * Lets a chapter run top to bottom while its exercises are unsolved. A demo cell that uses the
 * student's code wraps the call:
 *
 * <pre>{@code
 * NDArray buffers = Exercise.orToolkit("03-dispatch", () -> dispatch(items, routing), () -> Dispatch.apply(items, routing));
 * }</pre>
 *
 * When the student's code still throws its stub's {@code UnsupportedOperationException("exercise
 * 03-dispatch")} (or the stub of another exercise it calls), the toolkit's implementation runs
 * instead and one line says so. Any other exception (a bug in the student's code) is not hidden.
 */
public final class Exercise {

    private Exercise() {}

    /**
     * The student's result, or the toolkit's while exercise {@code id} is a stub.
     *
     * @param id the exercise id, as in the stub's message
     * @param student the call to the student's code
     * @param toolkit the same computation with the toolkit
     */
    public static <T> T orToolkit(String id, Supplier<T> student, Supplier<T> toolkit) {
        try {
            return student.get();
        } catch (UnsupportedOperationException e) {
            if (!isStub(e)) {
                throw e;
            }
            String which = e.getMessage().equals("exercise " + id) ? "" : " (it calls " + e.getMessage() + ")";
            System.out.println("(exercise " + id + " is not solved yet" + which + ": this cell uses the toolkit's version)");
            return toolkit.get();
        }
    }

    /** True when {@code e} is an exercise stub's {@code UnsupportedOperationException("exercise <id>")}. */
    public static boolean isStub(Throwable e) {
        return e instanceof UnsupportedOperationException && e.getMessage() != null
                && e.getMessage().startsWith("exercise ");
    }
}
