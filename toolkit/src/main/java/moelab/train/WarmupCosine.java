package moelab.train;

import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/**
 * Learning-rate schedule: linear warm-up from 0 to the peak over {@code W} updates, then cosine
 * decay from the peak to a final value over the remaining {@code N - W} updates (Loshchilov and
 * Hutter's SGDR curve without restarts), then constant.
 *
 * <p>For update {@code t = 1, 2, …, N} (1-based, as DJL's optimisers count):
 *
 * <pre>
 *   t &lt;  W:  lr(t) = peak · t / W
 *   t &gt;= W:  lr(t) = final + (peak − final) · ½ (1 + cos(π (t − W) / (N − W)))
 * </pre>
 *
 * so {@code lr(W) = peak} and {@code lr(N) = final}. It is DJL's {@link WarmUpTracker} around its
 * {@link ai.djl.training.tracker.CosineTracker}, so it also plugs into a DJL {@code Optimizer}.
 */
public final class WarmupCosine implements Tracker {

    private final float peak;
    private final float finalValue;
    private final int warmupSteps;
    private final long totalSteps;
    private final Tracker tracker;

    /**
     * @param peak learning rate at the end of warm-up, {@code > 0}
     * @param finalValue learning rate at update {@code totalSteps}, in {@code [0, peak)}
     * @param warmupSteps {@code W >= 0}
     * @param totalSteps {@code N >= 1}
     */
    public WarmupCosine(double peak, double finalValue, int warmupSteps, long totalSteps) {
        if (!(peak > 0) || finalValue < 0 || finalValue >= peak || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warm-up/cosine schedule needs peak > 0, 0 <= final"
                    + " < peak, W >= 0, N >= 1; got peak=" + peak + " final=" + finalValue + " W="
                    + warmupSteps + " N=" + totalSteps);
        }
        this.peak = (float) peak;
        this.finalValue = (float) finalValue;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        Tracker cosine = Tracker.cosine()
                .setBaseValue(this.peak)
                .optFinalValue(this.finalValue)
                .setMaxUpdates((int) Math.max(1, totalSteps - warmupSteps))
                .build();
        tracker = WarmUpTracker.builder()
                .setMainTracker(cosine)
                .optWarmUpSteps(warmupSteps)
                .optWarmUpBeginValue(0f)
                .optWarmUpMode(WarmUpTracker.Mode.LINEAR)
                .build();
    }

    /**
     * The learning rate of update {@code t} (1-based).
     *
     * @param numUpdate {@code t >= 1}
     */
    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate < 1) {
            throw new IllegalArgumentException("updates are counted from 1, got " + numUpdate);
        }
        return tracker.getNewValue(numUpdate);
    }

    /** Warm-up length {@code W}. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** Total updates {@code N}. */
    public long totalSteps() {
        return totalSteps;
    }

    @Override
    public String toString() {
        return "WarmupCosine(peak=" + peak + ", final=" + finalValue + ", W=" + warmupSteps + ", N="
                + totalSteps + ")";
    }
}
