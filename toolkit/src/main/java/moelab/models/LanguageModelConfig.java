package moelab.models;

/**
 * The config of a causal language model: {@code (B, T)} token ids in, {@code (B, T, V)}
 * next-token logits out.
 */
public sealed interface LanguageModelConfig extends ModelConfig
        permits GmlpConfig, SmlpConfig, TransformerConfig, TransformerMoeConfig {

    /** Vocabulary, context, widths, depth. */
    LmPart lm();
}
