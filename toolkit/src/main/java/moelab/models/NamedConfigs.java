package moelab.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import moelab.models.ModelConfig.Family;

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
 * wide as Switch's top-1 expert). MoE language models never drop tokens (capacity factor 0) so
 * they stay causal.
 */
final class NamedConfigs {

    private static final Map<String, ModelConfig> CONFIGS = new LinkedHashMap<>();

    static {
        addImageSize("tiny", ModelConfig.builder(Family.MIXER).optImageSize(28).optImageChannels(1)
                .optPatchSize(4).optNumClasses(10).optWidth(64).optTokenMixingHidden(64)
                .optChannelMixingHidden(256).optNumBlocks(4), 2, 4, 4);
        addImageSize("cifar", ModelConfig.builder(Family.MIXER).optImageSize(32)
                .optImageChannels(3).optPatchSize(4).optNumClasses(10).optWidth(128)
                .optTokenMixingHidden(64).optChannelMixingHidden(512).optNumBlocks(8), 2, 8, 4);
        addImageSize("b16", ModelConfig.builder(Family.MIXER).optImageSize(224)
                .optImageChannels(3).optPatchSize(16).optNumClasses(1000).optWidth(768)
                .optTokenMixingHidden(384).optChannelMixingHidden(3072).optNumBlocks(12), 4, 8, 4);
        addLanguageSize("tiny", 64, 64, 4, 4, 256, 2, 4);
        addLanguageSize("small", 256, 256, 8, 8, 1024, 4, 8);
    }

    private NamedConfigs() {}

    private static void addImageSize(String size, ModelConfig.Builder mixer, int sparseBlocks,
            int tokenExperts, int channelExperts) {
        ModelConfig dense = mixer.optName("mixer-" + size).build();
        ModelConfig sparse = dense.toBuilder().optName("sparse-mlp-" + size).optFamily(Family.SPARSE_MLP)
                .optNumSparseBlocks(sparseBlocks).optTokenMixingExperts(tokenExperts)
                .optChannelMixingExperts(channelExperts).optTopK(1).optCapacityFactor(1.25)
                .optRouter(RouterKind.BATCH_PRIORITY).optAuxLossWeight(0.01).build();
        ModelConfig equalFlops = matchFlops(sparse.flopsPerExample(), hidden -> dense.toBuilder()
                .optName("mixer-" + size + "-eqflop").optChannelMixingHidden(hidden).build());
        put(dense);
        put(sparse);
        put(equalFlops);
    }

    private static void addLanguageSize(String size, int width, int context, int blocks,
            int heads, int ffn, int sparseBlocks, int experts) {
        ModelConfig transformer = ModelConfig.builder(Family.TRANSFORMER)
                .optName("transformer-lm-" + size).optVocabSize(256).optContextLength(context)
                .optWidth(width).optNumBlocks(blocks).optNumHeads(heads)
                .optChannelMixingHidden(ffn).optTiedEmbeddings(true).build();
        long target = transformer.flopsPerExample();
        put(transformer);
        put(matchFlops(target, hidden -> transformer.toBuilder().optFamily(Family.GMLP)
                .optName("gmlp-lm-" + size).optChannelMixingHidden(hidden).build()));
        put(matchFlops(target, hidden -> transformer.toBuilder().optFamily(Family.SMLP)
                .optName("smlp-lm-" + size).optNumSparseBlocks(sparseBlocks)
                .optTokenMixingExperts(experts).optChannelMixingExperts(experts)
                .optRouter(RouterKind.BASE).optCapacityFactor(0).optChannelMixingHidden(hidden)
                .build()));
        for (RouterKind router : List.of(RouterKind.SWITCH, RouterKind.GSHARD, RouterKind.BASE,
                RouterKind.HASH)) {
            put(matchFlops(target, hidden -> transformer.toBuilder()
                    .optFamily(Family.TRANSFORMER_MOE)
                    .optName(router.name().toLowerCase() + "-lm-" + size)
                    .optNumSparseBlocks(sparseBlocks).optChannelMixingExperts(experts)
                    .optRouter(router).optCapacityFactor(0).optAuxLossWeight(0.01)
                    .optChannelMixingHidden(hidden).build()));
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
