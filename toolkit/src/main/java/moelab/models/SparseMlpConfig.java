package moelab.models;

/**
 * A Sparse-MLP (Lou et al. 2021): a Mixer whose last {@code moe.blocks()} blocks are
 * {@link SparseMlpBlock}s with {@code MoE_s} ({@code tokenExperts} experts) and {@code MoE_c}
 * ({@code moe.experts()} experts), both routed as {@code moe} says.
 *
 * @param name a label for tables and logs
 * @param image the images and classes
 * @param mixer the {@code (S, C)} grid's widths ({@code D_S}: each {@code MoE_s} expert's hidden
 *     width, {@code D_C}: each {@code MoE_c} expert's) and depth
 * @param moe sparse blocks, {@code E_c}, {@code K}, router, capacity factor, {@code λ}
 * @param tokenExperts {@code E_s}, experts of {@code MoE_s}; 0 for the dense token-mixing MLP
 * @param reRepresentation whether {@code MoE_s} works on the re-represented {@code (2S, C/2)} grid
 *     (the paper's design); false for the ablation without re-representation layers
 * @param channelMoeInside whether {@code MoE_c} also runs on the re-represented grid
 */
public record SparseMlpConfig(String name, ImagePart image, MixerPart mixer, MoePart moe,
        int tokenExperts, boolean reRepresentation, boolean channelMoeInside)
        implements ImageModelConfig {

    /** Checks that the parts fit together. */
    public SparseMlpConfig {
        Checks.name(name);
        Checks.present("image", image);
        Checks.present("mixer", mixer);
        Checks.present("moe", moe);
        Checks.require(moe.blocks() <= mixer.blocks(), "moe.blocks", moe.blocks(),
                "must be <= mixer.blocks = " + mixer.blocks());
        Checks.require(!reRepresentation || mixer.width() % 2 == 0, "mixer.width", mixer.width(),
                "must be even: re-representation splits C into C/2");
        Checks.require(tokenExperts >= 0 && (tokenExperts == 0 || moe.topK() <= tokenExperts),
                "token-experts", tokenExperts, "must be 0 (dense) or >= moe.top-k = " + moe.topK());
    }

    /** The MoE part of {@code MoE_s}: {@code moe} with {@code E_s} experts. */
    public MoePart tokenMoe() {
        return moe.withExperts(tokenExperts);
    }

    @Override
    public Family family() {
        return Family.SPARSE_MLP;
    }

    @Override
    public SparseMlp build() {
        return new SparseMlp(this);
    }

    @Override
    public SparseMlpConfig withName(String name) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }

    /** This config with another Mixer part. */
    public SparseMlpConfig withMixer(MixerPart mixer) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }

    /** This config with another MoE part (e.g. {@code moe().withCapacityFactor(2)}). */
    public SparseMlpConfig withMoe(MoePart moe) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }

    /** This config with {@code E_s = tokenExperts}. */
    public SparseMlpConfig withTokenExperts(int tokenExperts) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }

    /** This config with or without the re-representation layers. */
    public SparseMlpConfig withReRepresentation(boolean reRepresentation) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }

    /** This config with {@code MoE_c} inside or outside the re-represented grid. */
    public SparseMlpConfig withChannelMoeInside(boolean channelMoeInside) {
        return new SparseMlpConfig(name, image, mixer, moe, tokenExperts, reRepresentation,
                channelMoeInside);
    }
}
