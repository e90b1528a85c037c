package moelab.train;

import java.util.Map;
import java.util.Properties;

/**
 * Everything that decides a training run's result: model and dataset names, the optimiser and its
 * schedule, the seed, the step caps. A checkpoint stores it so that {@code --resume} and {@code
 * eval} rebuild exactly the same run; the output directory is not part of it.
 *
 * <p>Defaults: AdamW with {@code β1 = 0.9, β2 = 0.999, ε = 1e-8}, weight decay 0.01 (matrices
 * only, see {@link AdamW}), linear warm-up over 5% of the steps then cosine decay to 0, gradient
 * clipping at global norm 1.0, aux-loss weight 1.0 (each MoE layer's aux loss already carries its
 * own λ, e.g. Sparse-MLP's 0.01), a checkpoint every 500 steps and at each epoch end.
 *
 * <p>Environment knobs (applied by {@link #withEnvironment(Map)}): {@code MOELAB_SMOKE=1} caps the
 * run at one epoch of at most {@value #SMOKE_STEPS} steps (the CLI also loads only {@value
 * #SMOKE_EXAMPLES} examples); {@code MOELAB_MAX_STEPS=N} caps the total number of optimiser steps.
 */
public final class TrainConfig {

    /** Step cap under {@code MOELAB_SMOKE=1}. */
    public static final int SMOKE_STEPS = 20;

    /** Examples per split a data loader should read under {@code MOELAB_SMOKE=1}. */
    public static final int SMOKE_EXAMPLES = 512;

    private final String model;
    private final String dataset;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double finalLearningRate;
    private final int warmupSteps;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final double auxLossWeight;
    private final long seed;
    private final long maxSteps;
    private final int checkpointEvery;
    private final boolean smoke;

    private TrainConfig(Builder b) {
        model = b.model;
        dataset = b.dataset;
        epochs = b.epochs;
        batchSize = b.batchSize;
        learningRate = b.learningRate;
        finalLearningRate = b.finalLearningRate;
        warmupSteps = b.warmupSteps;
        weightDecay = b.weightDecay;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        clipNorm = b.clipNorm;
        auxLossWeight = b.auxLossWeight;
        seed = b.seed;
        maxSteps = b.maxSteps;
        checkpointEvery = b.checkpointEvery;
        smoke = b.smoke;
    }

    /** Starts a builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.dataset = dataset;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.finalLearningRate = finalLearningRate;
        b.warmupSteps = warmupSteps;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.clipNorm = clipNorm;
        b.auxLossWeight = auxLossWeight;
        b.seed = seed;
        b.maxSteps = maxSteps;
        b.checkpointEvery = checkpointEvery;
        b.smoke = smoke;
        return b;
    }

    /**
     * Applies {@code MOELAB_SMOKE} and {@code MOELAB_MAX_STEPS} from an environment map (pass
     * {@code System.getenv()}).
     *
     * @throws IllegalArgumentException when {@code MOELAB_MAX_STEPS} is not a positive integer
     */
    public TrainConfig withEnvironment(Map<String, String> env) {
        Builder b = toBuilder();
        String smokeValue = env.get("MOELAB_SMOKE");
        if (smokeValue != null && !smokeValue.isBlank() && !smokeValue.equals("0")
                && !smokeValue.equalsIgnoreCase("false")) {
            b.smoke = true;
            b.epochs = 1;
            b.maxSteps = maxSteps > 0 ? Math.min(maxSteps, SMOKE_STEPS) : SMOKE_STEPS;
        }
        String cap = env.get("MOELAB_MAX_STEPS");
        if (cap != null && !cap.isBlank()) {
            long parsed;
            try {
                parsed = Long.parseLong(cap.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MOELAB_MAX_STEPS must be a positive integer, got '"
                        + cap + "'", e);
            }
            if (parsed < 1) {
                throw new IllegalArgumentException("MOELAB_MAX_STEPS must be >= 1, got " + parsed);
            }
            b.maxSteps = b.maxSteps > 0 ? Math.min(b.maxSteps, parsed) : parsed;
        }
        return b.build();
    }

    /**
     * Total optimiser steps of the run: {@code epochs · stepsPerEpoch}, capped by {@link
     * #maxSteps()}.
     */
    public long totalSteps(long stepsPerEpoch) {
        long total = epochs * stepsPerEpoch;
        return maxSteps > 0 ? Math.min(total, maxSteps) : total;
    }

    /** Warm-up steps: the configured number, or 5% of {@code totalSteps} when it is negative. */
    public int warmupSteps(long totalSteps) {
        if (warmupSteps >= 0) {
            return (int) Math.min(warmupSteps, totalSteps);
        }
        return (int) Math.max(1, Math.round(0.05 * totalSteps));
    }

    /** The named model configuration (see {@code ModelConfig.byName}), or null. */
    public String model() {
        return model;
    }

    /** The named dataset (see {@code Datasets.byName}), or null. */
    public String dataset() {
        return dataset;
    }

    /** Passes over the training set. */
    public int epochs() {
        return epochs;
    }

    /** Examples per step {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** Peak learning rate, reached at the end of warm-up. */
    public double learningRate() {
        return learningRate;
    }

    /** Learning rate at the end of the cosine decay. */
    public double finalLearningRate() {
        return finalLearningRate;
    }

    /** Configured warm-up steps, or -1 for 5% of the total. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** AdamW's decoupled weight decay {@code λ}. */
    public double weightDecay() {
        return weightDecay;
    }

    /** AdamW's first-moment decay {@code β1}. */
    public double beta1() {
        return beta1;
    }

    /** AdamW's second-moment decay {@code β2}. */
    public double beta2() {
        return beta2;
    }

    /** AdamW's {@code ε}. */
    public double epsilon() {
        return epsilon;
    }

    /** Largest global gradient norm; {@code <= 0} turns clipping off. */
    public double clipNorm() {
        return clipNorm;
    }

    /** Weight of the summed MoE aux losses in the total loss. */
    public double auxLossWeight() {
        return auxLossWeight;
    }

    /** Seed of parameter initialisation, data order and per-step randomness. */
    public long seed() {
        return seed;
    }

    /** Cap on the total number of optimiser steps; 0 means no cap. */
    public long maxSteps() {
        return maxSteps;
    }

    /** A checkpoint is written every this many steps (and at each epoch end); 0: epoch ends only. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Whether {@code MOELAB_SMOKE} was on: data loaders should read few examples. */
    public boolean smoke() {
        return smoke;
    }

    /** This configuration as text properties, as stored in a checkpoint. */
    public Properties toProperties() {
        Properties p = new Properties();
        if (model != null) {
            p.setProperty("model", model);
        }
        if (dataset != null) {
            p.setProperty("dataset", dataset);
        }
        p.setProperty("epochs", Integer.toString(epochs));
        p.setProperty("batchSize", Integer.toString(batchSize));
        p.setProperty("learningRate", Double.toString(learningRate));
        p.setProperty("finalLearningRate", Double.toString(finalLearningRate));
        p.setProperty("warmupSteps", Integer.toString(warmupSteps));
        p.setProperty("weightDecay", Double.toString(weightDecay));
        p.setProperty("beta1", Double.toString(beta1));
        p.setProperty("beta2", Double.toString(beta2));
        p.setProperty("epsilon", Double.toString(epsilon));
        p.setProperty("clipNorm", Double.toString(clipNorm));
        p.setProperty("auxLossWeight", Double.toString(auxLossWeight));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("maxSteps", Long.toString(maxSteps));
        p.setProperty("checkpointEvery", Integer.toString(checkpointEvery));
        p.setProperty("smoke", Boolean.toString(smoke));
        return p;
    }

    /**
     * Reads a configuration written by {@link #toProperties()}; missing keys take the defaults.
     *
     * @throws IllegalArgumentException when a value does not parse
     */
    public static TrainConfig fromProperties(Properties p) {
        Builder b = builder();
        try {
            b.model = p.getProperty("model");
            b.dataset = p.getProperty("dataset");
            b.epochs = Integer.parseInt(p.getProperty("epochs", Integer.toString(b.epochs)));
            b.batchSize = Integer.parseInt(p.getProperty("batchSize", Integer.toString(b.batchSize)));
            b.learningRate = Double.parseDouble(p.getProperty("learningRate", "" + b.learningRate));
            b.finalLearningRate = Double.parseDouble(
                    p.getProperty("finalLearningRate", "" + b.finalLearningRate));
            b.warmupSteps = Integer.parseInt(p.getProperty("warmupSteps", "" + b.warmupSteps));
            b.weightDecay = Double.parseDouble(p.getProperty("weightDecay", "" + b.weightDecay));
            b.beta1 = Double.parseDouble(p.getProperty("beta1", "" + b.beta1));
            b.beta2 = Double.parseDouble(p.getProperty("beta2", "" + b.beta2));
            b.epsilon = Double.parseDouble(p.getProperty("epsilon", "" + b.epsilon));
            b.clipNorm = Double.parseDouble(p.getProperty("clipNorm", "" + b.clipNorm));
            b.auxLossWeight = Double.parseDouble(p.getProperty("auxLossWeight", "" + b.auxLossWeight));
            b.seed = Long.parseLong(p.getProperty("seed", "" + b.seed));
            b.maxSteps = Long.parseLong(p.getProperty("maxSteps", "" + b.maxSteps));
            b.checkpointEvery = Integer.parseInt(
                    p.getProperty("checkpointEvery", "" + b.checkpointEvery));
            b.smoke = Boolean.parseBoolean(p.getProperty("smoke", "false"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad training configuration " + p + ": "
                    + e.getMessage(), e);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "TrainConfig" + new java.util.TreeMap<>(toProperties());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig && ((TrainConfig) o).toProperties().equals(toProperties());
    }

    @Override
    public int hashCode() {
        return toProperties().hashCode();
    }

    /** Builder; every field has a default, so all setters are {@code optX}. */
    public static final class Builder {
        private String model;
        private String dataset;
        private int epochs = 1;
        private int batchSize = 64;
        private double learningRate = 1e-3;
        private double finalLearningRate = 0;
        private int warmupSteps = -1;
        private double weightDecay = 0.01;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double clipNorm = 1.0;
        private double auxLossWeight = 1.0;
        private long seed = 42;
        private long maxSteps = 0;
        private int checkpointEvery = 500;
        private boolean smoke;

        private Builder() {}

        /** Model configuration name. */
        public Builder optModel(String model) {
            this.model = model;
            return this;
        }

        /** Dataset name. */
        public Builder optDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Passes over the training set (default 1). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Examples per step (default 64). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Peak learning rate (default 1e-3). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Learning rate at the end of the cosine decay (default 0). */
        public Builder optFinalLearningRate(double finalLearningRate) {
            this.finalLearningRate = finalLearningRate;
            return this;
        }

        /** Warm-up steps (default -1: 5% of the total). */
        public Builder optWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /** AdamW weight decay (default 0.01). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** AdamW {@code β1} and {@code β2} (default 0.9, 0.999). */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** AdamW {@code ε} (default 1e-8). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Global gradient-norm cap (default 1.0; {@code <= 0} turns clipping off). */
        public Builder optClipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** Weight of the summed aux losses (default 1.0; 0 trains on the task loss alone). */
        public Builder optAuxLossWeight(double auxLossWeight) {
            this.auxLossWeight = auxLossWeight;
            return this;
        }

        /** Seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Cap on the total optimiser steps (default 0: none). */
        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Steps between checkpoints (default 500; 0: only at epoch ends). */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Marks a smoke run (normally set by {@link TrainConfig#withEnvironment(Map)}). */
        public Builder optSmoke(boolean smoke) {
            this.smoke = smoke;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException for a non-positive epoch count, batch size or learning
         *     rate, betas outside [0, 1), or negative caps
         */
        public TrainConfig build() {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || finalLearningRate < 0
                    || finalLearningRate >= learningRate || beta1 < 0 || beta1 >= 1 || beta2 < 0
                    || beta2 >= 1 || !(epsilon > 0) || weightDecay < 0 || maxSteps < 0
                    || checkpointEvery < 0 || auxLossWeight < 0) {
                throw new IllegalArgumentException("invalid training configuration: epochs="
                        + epochs + " batchSize=" + batchSize + " lr=" + learningRate + " finalLr="
                        + finalLearningRate + " betas=" + beta1 + "," + beta2 + " eps=" + epsilon
                        + " weightDecay=" + weightDecay + " maxSteps=" + maxSteps
                        + " checkpointEvery=" + checkpointEvery + " auxLossWeight="
                        + auxLossWeight + " (need epochs, batch size, lr > 0, 0 <= finalLr < lr,"
                        + " betas in [0,1), eps > 0, the rest >= 0)");
            }
            return new TrainConfig(this);
        }
    }
}
