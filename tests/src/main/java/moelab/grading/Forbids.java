package moelab.grading;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Toolkit code an exercise may not call, declared on its test class: an exercise whose point is
 * to implement X cannot be passed by calling the toolkit's X. The grader inspects the compiled
 * exercise cell and fails the exercise, with a message naming the call, when it refers to one of
 * {@link #value()}.
 *
 * <pre>{@code
 * @Forbids(exercise = "02-capacity", value = {"moelab.routing.Capacity"})
 * @Forbids(exercise = "03-moe-forward", value = {"moelab.moe.MoeLayer", "moelab.moe.Dispatch#apply"})
 * class RoutersExercises { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Forbids.All.class)
public @interface Forbids {

    /** The exercise id, e.g. {@code "02-capacity"}. */
    String exercise();

    /**
     * What the exercise may not refer to: a class ({@code "moelab.routing.Capacity"}, any use of
     * it, its nested classes included) or one method of a class
     * ({@code "moelab.routing.Capacity#assign"}, every overload).
     */
    String[] value();

    /** The holder of several {@link Forbids} on one class. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface All {
        Forbids[] value();
    }
}
