package moelab.models;

/**
 * A dense causal Transformer language model: learned positions, {@code lm.blocks()} pre-LN blocks
 * of {@code heads}-head causal self-attention and a GELU FFN {@code d → lm.hidden() → d}; causal
 * in training and evaluation.
 *
 * @param name a label for tables and logs
 * @param lm vocabulary, context, widths, depth
 * @param heads attention heads; must divide {@code d}
 */
public record TransformerConfig(String name, LmPart lm, int heads)
        implements LanguageModelConfig {

    /** Checks that the parts fit together. */
    public TransformerConfig {
        Checks.name(name);
        Checks.present("lm", lm);
        Checks.require(heads >= 1 && lm.width() % heads == 0, "heads", heads,
                "must divide lm.width = " + lm.width());
    }

    @Override
    public Family family() {
        return Family.TRANSFORMER;
    }

    @Override
    public Transformer build() {
        return new Transformer(this);
    }

    @Override
    public TransformerConfig withName(String name) {
        return new TransformerConfig(name, lm, heads);
    }

    /** This config with another LM part. */
    public TransformerConfig withLm(LmPart lm) {
        return new TransformerConfig(name, lm, heads);
    }

    /** This Transformer with its last FFNs replaced as {@code moe} says. */
    public TransformerMoeConfig withMoe(MoePart moe) {
        return new TransformerMoeConfig(name, lm, heads, moe);
    }
}
