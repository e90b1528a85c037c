package moelab.models;

/**
 * A Transformer language model whose last {@code moe.blocks()} FFNs are MoE layers of
 * {@code moe.experts()} experts {@code d → lm.hidden() → d}: Switch, GShard, BASE or HASH routing,
 * the MoE baselines of the sMLP paper.
 *
 * <p>Causality ({@link MoePart#causalInTraining()}): with no capacity limit Switch, GShard and
 * HASH decide each token from that token alone, so the model is causal in training and
 * evaluation; BASE's balanced assignment in training is solved over the whole batch (not causal in
 * training, causal at evaluation); {@link RouterKind#BASE_CAUSAL} is causal in both; a capacity
 * limit makes token-choice routers depend on the other tokens of the batch.
 *
 * @param name a label for tables and logs
 * @param lm vocabulary, context, widths (each expert's hidden width), depth
 * @param heads attention heads; must divide {@code d}
 * @param moe sparse blocks, experts, router, capacity factor, {@code λ}
 */
public record TransformerMoeConfig(String name, LmPart lm, int heads, MoePart moe)
        implements LanguageModelConfig {

    /** Checks that the parts fit together. */
    public TransformerMoeConfig {
        Checks.name(name);
        Checks.present("lm", lm);
        Checks.present("moe", moe);
        Checks.require(heads >= 1 && lm.width() % heads == 0, "heads", heads,
                "must divide lm.width = " + lm.width());
        Checks.require(moe.blocks() <= lm.blocks(), "moe.blocks", moe.blocks(),
                "must be <= lm.blocks = " + lm.blocks());
    }

    /** The same model with dense FFNs everywhere. */
    public TransformerConfig dense() {
        return new TransformerConfig(name, lm, heads);
    }

    @Override
    public Family family() {
        return Family.TRANSFORMER_MOE;
    }

    @Override
    public TransformerMoe build() {
        return new TransformerMoe(this);
    }

    @Override
    public TransformerMoeConfig withName(String name) {
        return new TransformerMoeConfig(name, lm, heads, moe);
    }

    /** This config with another LM part. */
    public TransformerMoeConfig withLm(LmPart lm) {
        return new TransformerMoeConfig(name, lm, heads, moe);
    }

    /** This config with another MoE part (e.g. {@code moe().withCapacityFactor(1.0)}). */
    public TransformerMoeConfig withMoe(MoePart moe) {
        return new TransformerMoeConfig(name, lm, heads, moe);
    }
}
