package moelab.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.Map;

/**
 * Everything that decides a training run's result: model and dataset names, the optimiser and its
 * schedule, the seed, the step caps. A checkpoint and the run's {@code run.json} store it (see
 * {@link RunDescription}) so that {@code --resume} and {@code eval} rebuild exactly the same run;
 * the output directory is not part of it.
 *
 * <p>Defaults: AdamW with {@code β1 = 0.9, β2 = 0.999, ε = 1e-8}, weight decay 0.01 (matrices
 * only, see {@link AdamW}), linear warm-up over 5% of the steps then cosine decay to 0, gradient
 * clipping at global norm 1.0, aux-loss weight 1.0 (each MoE layer's aux loss already carries its
 * own λ, e.g. Sparse-MLP's 0.01), a checkpoint every 500 steps and at each epoch end.
 *
 * <p>Environment knobs (applied by {@link #withEnvironment(Map)}): {@code MOELAB_SMOKE=1} caps the
 * run at one epoch of at most {@value #SMOKE_STEPS} steps (the CLI also loads only {@value
 * #SMOKE_EXAMPLES} examples); {@code MOELAB_MAX_STEPS=N} caps the total number of optimiser steps.
 *
 * @param model the model configuration's name (a label; the run's {@code run.json} holds the
 *     configuration itself), or null
 * @param dataset the named dataset (see {@code Datasets.byName}), or null
 * @param epochs passes over the training set
 * @param batchSize examples per step {@code B}
 * @param learningRate peak learning rate, reached at the end of warm-up
 * @param finalLearningRate learning rate at the end of the cosine decay
 * @param warmupSteps configured warm-up steps, or -1 for 5% of the total
 * @param weightDecay AdamW's decoupled weight decay {@code λ}
 * @param beta1 AdamW's first-moment decay {@code β1}
 * @param beta2 AdamW's second-moment decay {@code β2}
 * @param epsilon AdamW's {@code ε}
 * @param clipNorm largest global gradient norm; {@code <= 0} turns clipping off
 * @param auxLossWeight weight of the summed MoE aux losses in the total loss
 * @param seed seed of parameter initialisation, data order and per-step randomness
 * @param maxSteps cap on the total number of optimiser steps; 0 means no cap
 * @param checkpointEvery a checkpoint every this many steps (and at each epoch end); 0: epoch
 *     ends only
 * @param smoke whether {@code MOELAB_SMOKE} was on: data loaders should read few examples
 */
public record TrainConfig(String model, String dataset, int epochs, int batchSize,
                          double learningRate, double finalLearningRate, int warmupSteps,
                          double weightDecay, double beta1, double beta2, double epsilon,
                          double clipNorm, double auxLossWeight, long seed, long maxSteps,
                          int checkpointEvery, boolean smoke) {

    /** Step cap under {@code MOELAB_SMOKE=1}. */
    public static final int SMOKE_STEPS = 20;

    /** Examples per split a data loader should read under {@code MOELAB_SMOKE=1}. */
    public static final int SMOKE_EXAMPLES = 512;

    private static final Gson JSON = new GsonBuilder().setPrettyPrinting().create();

    /** Checks every value; the message names the first one out of range and its range. */
    public TrainConfig {
        require(epochs >= 1, "epochs", epochs, "at least 1");
        require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        require(learningRate > 0, "learningRate", learningRate, "positive");
        require(finalLearningRate >= 0 && finalLearningRate < learningRate, "finalLearningRate",
                finalLearningRate, "in [0, learningRate)");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "in [0, 1)");
        require(epsilon > 0, "epsilon", epsilon, "positive");
        require(weightDecay >= 0, "weightDecay", weightDecay, "at least 0");
        require(maxSteps >= 0, "maxSteps", maxSteps, "at least 0 (0: no cap)");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery,
                "at least 0 (0: epoch ends only)");
        require(auxLossWeight >= 0, "auxLossWeight", auxLossWeight, "at least 0");
        require(warmupSteps >= -1, "warmupSteps", warmupSteps, "at least 0, or -1 for 5%");
    }

    private static void require(boolean ok, String name, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException("invalid training configuration: " + name + "="
                    + value + " must be " + range);
        }
    }

    /** Starts a builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few of them. */
    public Builder toBuilder() {
        return JSON.fromJson(toJson(), Builder.class);
    }

    /** This configuration as a JSON object (one key per component). */
    public String toJson() {
        return JSON.toJson(this);
    }

    /**
     * Reads a configuration written by {@link #toJson()}; missing keys take the defaults.
     *
     * @throws IllegalArgumentException when the text is not such an object or a value is out of
     *     range
     */
    public static TrainConfig fromJson(String json) {
        try {
            Builder b = JSON.fromJson(json, Builder.class);
            if (b == null) {
                throw new IllegalArgumentException("empty training configuration");
            }
            return b.build();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the training configuration is not valid JSON: "
                    + e.getMessage(), e);
        }
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
         * @throws IllegalArgumentException naming the first value out of range and its range
         */
        public TrainConfig build() {
            return new TrainConfig(model, dataset, epochs, batchSize, learningRate,
                    finalLearningRate, warmupSteps, weightDecay, beta1, beta2, epsilon, clipNorm,
                    auxLossWeight, seed, maxSteps, checkpointEvery, smoke);
        }
    }
}
