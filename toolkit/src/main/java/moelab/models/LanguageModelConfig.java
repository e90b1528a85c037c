package moelab.models;

import ai.djl.ndarray.types.Shape;

/**
 * The config of a causal language model: {@code (B, T)} token ids in, {@code (B, T, V)}
 * next-token logits out. Token mixing is causal in every family (masked attention or
 * {@code (T, T)} matrices); whether the whole model is causal depends on its MoE part's routing
 * ({@link MoePart#causalInTraining()}).
 */
public sealed interface LanguageModelConfig extends ModelConfig
        permits GmlpConfig, SmlpConfig, TransformerConfig, TransformerMoeConfig {

    /** Vocabulary, context, widths, depth. */
    LmPart lm();

    @Override
    default Shape inputShape(long batch) {
        return lm().inputShape(batch);
    }

    @Override
    default int outputSize() {
        return lm().vocabSize();
    }

    @Override
    default boolean causalInTraining() {
        return moe().blocks() == 0 || moe().causalInTraining();
    }

    @Override
    default boolean causalInEvaluation() {
        return moe().blocks() == 0 || moe().causalInEvaluation();
    }
}
