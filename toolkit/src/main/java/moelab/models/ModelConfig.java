package moelab.models;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A model's configuration: one small immutable record per family, composed of part configs
 * ({@link ImagePart}, {@link MixerPart}, {@link LmPart}, {@link MoePart}); image models are
 * {@link ImageModelConfig}s, language models {@link LanguageModelConfig}s. Each builds its model
 * and reports its cost from the blocks it builds, so construction and cost cannot disagree.
 *
 * <pre>{@code
 * ModelConfig config = ModelConfig.byName("sparse-mlp-tiny");
 * Block model = config.build();                     // a DJL block, not yet initialised
 * model.initialize(manager, DataType.FLOAT32, config.inputShape(32));
 * Cost cost = config.cost();                        // parameters, active parameters, FLOPs
 * SparseMlpConfig tiny = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
 * SparseMlpConfig k2 = tiny.withName("tiny-k2").withMoe(tiny.moe().withTopK(2));
 * String json = config.toJson();                    // ModelConfig.fromJson(json) gives it back
 * }</pre>
 *
 * <p>Variants: each record's {@code withX(...)} methods, or {@link ModelConfigs#override} with
 * {@code key=value} settings (the keys are those of {@link #toJson()}; see {@link ModelConfigs}).
 */
public sealed interface ModelConfig permits ImageModelConfig, LanguageModelConfig {

    /** The model families, each with its config record. */
    enum Family {
        /** MLP-Mixer (Tolstikhin et al. 2021), {@link MlpMixer}. */
        MIXER("mixer", MixerConfig.class, false),
        /** Sparse-MLP (Lou et al. 2021), {@link SparseMlp}. */
        SPARSE_MLP("sparse-mlp", SparseMlpConfig.class, false),
        /** gMLP causal language model (Liu et al. 2021), {@link Gmlp}. */
        GMLP("gmlp", GmlpConfig.class, true),
        /** sMLP, sparse all-MLP language model (Yu et al. 2022), {@link SparseAllMlp}. */
        SMLP("smlp", SmlpConfig.class, true),
        /** Dense causal Transformer language model, {@link Transformer}. */
        TRANSFORMER("transformer", TransformerConfig.class, true),
        /** Transformer whose last FFNs are MoE layers, {@link TransformerMoe}. */
        TRANSFORMER_MOE("transformer-moe", TransformerMoeConfig.class, true);

        private final String key;
        private final Class<? extends ModelConfig> type;
        private final boolean languageModel;

        Family(String key, Class<? extends ModelConfig> type, boolean languageModel) {
            this.key = key;
            this.type = type;
            this.languageModel = languageModel;
        }

        /** The name used in JSON ({@code "family": "sparse-mlp"}). */
        public String key() {
            return key;
        }

        /** The config record of this family. */
        public Class<? extends ModelConfig> type() {
            return type;
        }

        /** Whether models of this family map token ids to next-token logits. */
        public boolean isLanguageModel() {
            return languageModel;
        }
    }

    /** The config's name (the named config it came from, or a label for a variant). */
    String name();

    /** The model family. */
    Family family();

    /** Builds the model (a DJL block; initialise it with {@link #inputShape}). */
    CostedBlock build();

    /** A batch of {@code B} inputs: {@code (B, channels, H, W)} images or {@code (B, T)} token ids. */
    Shape inputShape(long batch);

    /** Logits per example: the number of classes, or the vocabulary size {@code V} per position. */
    int outputSize();

    /** Parameters, active parameters and FLOPs per example (image, or token), from the built blocks. */
    default Cost cost() {
        return build().cost();
    }

    /** This config under another name. */
    ModelConfig withName(String name);

    /**
     * Whether a training-mode forward pass is causal: logits at position {@code t} change only
     * with tokens at positions {@code <= t} of any sequence in the batch. False for image models.
     */
    boolean causalInTraining();

    /** Whether an evaluation-mode forward pass is causal (as {@link #causalInTraining()}). */
    boolean causalInEvaluation();

    /** The MoE part: where the MoE layers go and how they route; {@link MoePart#dense()} for dense families. */
    default MoePart moe() {
        return MoePart.dense();
    }

    /** Whether the model maps token ids to next-token logits. */
    default boolean isLanguageModel() {
        return family().isLanguageModel();
    }

    /** All trainable parameters. */
    default long parameterCount() {
        return cost().parameters();
    }

    /** Parameters used per item: experts not routed to are left out. */
    default long activeParameterCount() {
        return cost().activeParameters();
    }

    /** FLOPs per image, or per token for language models (see {@link Cost}). */
    default long flopsPerExample() {
        return cost().flops();
    }

    /** The config as JSON, with a {@code version} and a {@code family} field; see {@link #fromJson}. */
    default String toJson() {
        return ModelConfigs.toJson(this);
    }

    /**
     * The config {@code json} describes (written by {@link #toJson()}).
     *
     * @throws IllegalArgumentException for an unknown version or family, a missing or unknown
     *     field (naming it and the valid ones), a value of the wrong type or out of range
     */
    static ModelConfig fromJson(String json) {
        return ModelConfigs.fromJson(json);
    }

    /** The named configuration {@code name}; see {@link #names()}. */
    static ModelConfig byName(String name) {
        return NamedConfigs.get(name);
    }

    /** The named configuration {@code name}, which must be of {@code type}. */
    static <C extends ModelConfig> C byName(String name, Class<C> type) {
        ModelConfig config = byName(name);
        if (!type.isInstance(config)) {
            throw new IllegalArgumentException("model config '" + name + "' is a "
                    + config.family().key() + " config, not a " + type.getSimpleName());
        }
        return type.cast(config);
    }

    /** Every named configuration, in a stable order (images first, then language models). */
    static List<String> names() {
        return NamedConfigs.names();
    }
}
