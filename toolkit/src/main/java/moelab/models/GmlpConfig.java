package moelab.models;

/**
 * A gMLP causal language model (Liu et al. 2021): {@code lm.blocks()} {@link GmlpBlock}s of width
 * {@code d} and {@code d_ffn = lm.hidden()}; causal in training and evaluation (masked
 * {@code (T, T)} token mixing, no routing).
 *
 * @param name a label for tables and logs
 * @param lm vocabulary, context, widths, depth
 */
public record GmlpConfig(String name, LmPart lm) implements LanguageModelConfig {

    /** Checks that every part is there. */
    public GmlpConfig {
        Checks.name(name);
        Checks.present("lm", lm);
    }

    @Override
    public Family family() {
        return Family.GMLP;
    }

    @Override
    public Gmlp build() {
        return new Gmlp(this);
    }

    @Override
    public GmlpConfig withName(String name) {
        return new GmlpConfig(name, lm);
    }

    /** This config with another LM part. */
    public GmlpConfig withLm(LmPart lm) {
        return new GmlpConfig(name, lm);
    }
}
