package moelab.grading.exercises;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the exercise test classes: a fresh {@link NDManager} for every test, closed after it. */
abstract class NDArrayExercises {

    /** Owns the arrays a test creates. */
    protected NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }
}
