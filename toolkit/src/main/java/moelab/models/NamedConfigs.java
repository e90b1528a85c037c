package moelab.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The named model configurations.
 *
 * <p>Images: {@code mixer-S}, {@code sparse-mlp-S} and {@code mixer-S-eqflop} (a dense Mixer whose
 * channel-mixing width {@code D_C} is chosen so that its FLOPs per image match
 * {@code sparse-mlp-S}) for sizes {@code tiny} (28×28×1, 10 classes, CPU), {@code cifar} (32×32×3,
 * 10 classes) and {@code b16} (224×224×3, 1000 classes; Mixer-B/16).
 *
 * <p>Language models: {@code F-lm-S} for families {@code transformer}, {@code gmlp}, {@code smlp},
 * {@code switch}, {@code gshard}, {@code base}, {@code hash} and sizes {@code tiny}, {@code small}.
 * Within a size every family has the FLOPs per token of {@code transformer-lm-S}: each one's
 * FFN / expert / {@code d_ffn} width is solved for it (so GShard's top-2 experts are about half as
 * wide as Switch's top-1 expert). MoE language models never drop tokens (capacity factor 0): then
 * Switch, GShard and HASH decide each token from that token alone and stay causal in training.
 * BASE does not: its balanced assignment in training is solved over the whole batch, so
 * {@code base-lm-S} and {@code smlp-lm-S} (BASE tMoE) are causal only at evaluation (see
 * {@link ModelConfig#causalInTraining()}; {@link RouterKind#BASE_CAUSAL} is the causal variant).
 */
final class NamedConfigs {

    private static final Map<String, ModelConfig> CONFIGS = new LinkedHashMap<>();

    static {
        addImageSize("tiny", new ImagePart(28, 1, 4, 10), new MixerPart(64, 64, 256, 4), 2, 4, 4);
        addImageSize("cifar", new ImagePart(32, 3, 4, 10), new MixerPart(128, 64, 512, 8), 2, 8, 4);
        addImageSize("b16", new ImagePart(224, 3, 16, 1000), new MixerPart(768, 384, 3072, 12), 4,
                8, 4);
        addLanguageSize("tiny", new LmPart(256, 64, 64, 256, 4, true), 4, 2, 4);
        addLanguageSize("small", new LmPart(256, 256, 256, 1024, 8, true), 8, 4, 8);
    }

    private NamedConfigs() {}

    private static void addImageSize(String size, ImagePart image, MixerPart mixer,
            int sparseBlocks, int tokenExperts, int channelExperts) {
        MixerConfig dense = new MixerConfig("mixer-" + size, image, mixer);
        MoePart moe = new MoePart(sparseBlocks, channelExperts, 1, RouterKind.BATCH_PRIORITY, 1.25,
                0.01);
        SparseMlpConfig sparse = new SparseMlpConfig("sparse-mlp-" + size, image, mixer, moe,
                tokenExperts, true, false);
        put(dense);
        put(sparse);
        put(matchFlops(sparse.flopsPerExample(), hidden -> dense.withName("mixer-" + size + "-eqflop")
                .withMixer(mixer.withChannelHidden(hidden))));
    }

    private static void addLanguageSize(String size, LmPart lm, int heads, int sparseBlocks,
            int experts) {
        TransformerConfig transformer = new TransformerConfig("transformer-lm-" + size, lm, heads);
        long target = transformer.flopsPerExample();
        MoePart moe = new MoePart(sparseBlocks, experts, 1, RouterKind.BASE, 0, 0.01);
        put(transformer);
        put(matchFlops(target, hidden -> new GmlpConfig("gmlp-lm-" + size, lm.withHidden(hidden))));
        put(matchFlops(target, hidden -> new SmlpConfig("smlp-lm-" + size, lm.withHidden(hidden),
                experts, moe)));
        for (RouterKind router : List.of(RouterKind.SWITCH, RouterKind.GSHARD, RouterKind.BASE,
                RouterKind.HASH)) {
            put(matchFlops(target, hidden -> transformer.withLm(lm.withHidden(hidden))
                    .withMoe(moe.withRouter(router)).withName(router.key() + "-lm-" + size)));
        }
    }

    /**
     * The configuration {@code withHidden.apply(h)} whose FLOPs per example are nearest
     * {@code target}. FLOPs grow linearly with the channel-mixing width {@code h}, so two
     * evaluations give the line and its solution.
     */
    static ModelConfig matchFlops(long target, IntFunction<ModelConfig> withHidden) {
        long at1 = withHidden.apply(1).flopsPerExample();
        long slope = withHidden.apply(2).flopsPerExample() - at1;
        long hidden = 1 + Math.round((double) (target - at1) / slope);
        if (hidden < 1) {
            throw new IllegalStateException("no channel-mixing width reaches " + target + " FLOPs");
        }
        return withHidden.apply(Math.toIntExact(hidden));
    }

    private static void put(ModelConfig config) {
        CONFIGS.put(config.name(), config);
    }

    static ModelConfig get(String name) {
        ModelConfig config = CONFIGS.get(name);
        if (config == null) {
            throw new IllegalArgumentException(
                    "unknown model config '" + name + "'; known: " + String.join(", ", names()));
        }
        return config;
    }

    static List<String> names() {
        return List.copyOf(CONFIGS.keySet());
    }
}
