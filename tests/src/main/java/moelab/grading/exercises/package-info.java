/**
 * The exercise tests the grader runs against students' notebooks: one class per notebook
 * ({@code SetupExercises} for {@code 01-setup.ipynb}, ...), each test tagged with the id of the
 * exercise it checks ({@code @Tag("01-softmax")}); the student's methods are reached through
 * {@link moelab.grading.Student}. These are not run by {@code mvn verify} directly (there is no
 * student code then); the grader's own tests in {@code src/test} run them through the grader.
 */
package moelab.grading.exercises;
