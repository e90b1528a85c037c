package moelab.data;

import java.util.SplittableRandom;

/**
 * A random source for one example in one epoch, derived from a seed alone.
 *
 * <p>Because each example's draws depend only on (seed, epoch, index), augmentation and window
 * offsets are reproducible under a seed no matter in which order, or on how many threads, a data
 * iterator fetches the examples.
 */
public final class ExampleRandom {

    private ExampleRandom() {}

    /**
     * Returns the random source of one example.
     *
     * @param seed the dataset's seed
     * @param epoch the epoch number, 0 for the first pass
     * @param index the example's index in the dataset
     * @return a fresh generator; equal arguments give equal streams
     */
    public static SplittableRandom of(long seed, long epoch, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ epoch);
        h = mix(h ^ index);
        return new SplittableRandom(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
