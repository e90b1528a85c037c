package moelab.grading;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How an exercise test reaches the student's code: the grader compiles the exercise cells into a
 * class {@code Submission} and puts it on the test JVM's classpath; {@link #method} finds one of
 * its methods by name and parameter types.
 *
 * <pre>{@code
 * StudentMethod softmax = Student.method("softmax", NDArray.class);
 * NDArray p = softmax.call(NDArray.class, logits);
 * }</pre>
 */
public final class Student {

    private Student() {}

    /**
     * The student's method {@code name(params...)}, bound to a fresh {@code Submission} instance.
     * Fails the calling test (not the grader) when the class or the method is missing.
     */
    public static StudentMethod method(String name, Class<?>... params) {
        Class<?> submission;
        try {
            submission = Class.forName(Submission.CLASS_NAME);
        } catch (ClassNotFoundException e) {
            return fail("no compiled Submission class on the classpath: run exercise tests through the grader");
        }
        Method method;
        try {
            method = submission.getDeclaredMethod(name, params);
        } catch (NoSuchMethodException e) {
            String signature = name + Arrays.stream(params).map(Class::getSimpleName)
                    .collect(Collectors.joining(", ", "(", ")"));
            return fail("the notebook defines no method " + signature
                    + ": keep the name and parameter types of the exercise stub");
        }
        method.setAccessible(true);
        try {
            Constructor<?> constructor = submission.getDeclaredConstructor();
            constructor.setAccessible(true);
            return new StudentMethod(method, constructor.newInstance());
        } catch (InvocationTargetException e) {
            return fail("creating the exercise cells' state failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            return fail("cannot instantiate Submission: " + e, e);
        }
    }

    /** A student method bound to its receiver. */
    public static final class StudentMethod {

        private final Method method;
        private final Object receiver;

        private StudentMethod(Method method, Object receiver) {
            this.method = method;
            this.receiver = receiver;
        }

        /**
         * Calls the method. Whatever the student's code throws is rethrown unchanged, so a test sees
         * e.g. the stub's {@code UnsupportedOperationException}.
         */
        public Object invoke(Object... args) {
            try {
                return method.invoke(receiver, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(method.getName() + " threw " + cause, cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Calls the method and checks the type of its result. */
        public <T> T call(Class<T> resultType, Object... args) {
            Object result = invoke(args);
            if (result != null && !resultType.isInstance(result)) {
                fail(method.getName() + " returned a " + result.getClass().getName()
                        + ", expected a " + resultType.getName());
            }
            return resultType.cast(result);
        }
    }
}
