package moelab.models;

/**
 * An sMLP sparse all-MLP language model (Yu et al. 2022): dense {@link GmlpBlock}s, then
 * {@code moe.blocks()} {@link SparseAllMlpBlock}s with sMoE ({@code spatialExperts} chunks of the
 * {@code d} channels, deterministic, causal) and tMoE (tokens routed to {@code moe.experts()}
 * expert MLPs {@code d → lm.hidden() → d}).
 *
 * <p>Causality: sMoE is causal by construction; tMoE is causal when its router decides each token
 * alone ({@link MoePart#causalInTraining()}). With BASE routing (the paper's, and
 * {@code smlp-lm-*}) the balanced assignment in training is solved over the whole batch, so the
 * model is not causal in training; {@link RouterKind#BASE_CAUSAL} is.
 *
 * @param name a label for tables and logs
 * @param lm vocabulary, context, widths, depth
 * @param spatialExperts {@code E_s} of sMoE; must divide {@code d}
 * @param moe tMoE: sparse blocks, experts, router, capacity factor, {@code λ}
 */
public record SmlpConfig(String name, LmPart lm, int spatialExperts, MoePart moe)
        implements LanguageModelConfig {

    /** Checks that the parts fit together. */
    public SmlpConfig {
        Checks.name(name);
        Checks.present("lm", lm);
        Checks.present("moe", moe);
        Checks.require(spatialExperts >= 1 && lm.width() % spatialExperts == 0, "spatial-experts",
                spatialExperts, "must divide lm.width = " + lm.width() + " into equal chunks");
        Checks.require(moe.blocks() <= lm.blocks(), "moe.blocks", moe.blocks(),
                "must be <= lm.blocks = " + lm.blocks());
    }

    @Override
    public Family family() {
        return Family.SMLP;
    }

    @Override
    public SparseAllMlp build() {
        return new SparseAllMlp(this);
    }

    @Override
    public SmlpConfig withName(String name) {
        return new SmlpConfig(name, lm, spatialExperts, moe);
    }

    /** This config with another LM part. */
    public SmlpConfig withLm(LmPart lm) {
        return new SmlpConfig(name, lm, spatialExperts, moe);
    }

    /** This config with another tMoE part (e.g. {@code moe().withRouter(RouterKind.SWITCH)}). */
    public SmlpConfig withMoe(MoePart moe) {
        return new SmlpConfig(name, lm, spatialExperts, moe);
    }
}
