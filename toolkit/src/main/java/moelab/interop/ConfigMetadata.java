package moelab.interop;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import moelab.models.ModelConfig;
import moelab.routing.Priority;

/**
 * The safetensors {@code __metadata__} entries that tell {@code bench/reference/moelab_torch.py}
 * what to build: {@code moelab.model} (a model configuration, JSON, snake-case keys mirroring
 * {@link ModelConfig}'s getters) or {@code moelab.layer} (one MoE layer and its top-k router).
 */
public final class ConfigMetadata {

    /** Key of a whole model's configuration. */
    public static final String MODEL = "moelab.model";

    /** Key of a single MoE layer's configuration. */
    public static final String LAYER = "moelab.layer";

    private static final Gson GSON = new Gson();

    private ConfigMetadata() {}

    /** {@code moelab.model}: the configuration {@code config} as JSON. */
    public static Map<String, String> of(ModelConfig config) {
        JsonObject json = new JsonObject();
        json.addProperty("name", config.name());
        json.addProperty("family", config.family().name());
        json.addProperty("image_size", config.imageSize());
        json.addProperty("image_channels", config.imageChannels());
        json.addProperty("patch_size", config.patchSize());
        json.addProperty("num_classes", config.numClasses());
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("context_length", config.contextLength());
        json.addProperty("width", config.width());
        json.addProperty("token_mixing_hidden", config.tokenMixingHidden());
        json.addProperty("channel_mixing_hidden", config.channelMixingHidden());
        json.addProperty("num_blocks", config.numBlocks());
        json.addProperty("num_sparse_blocks", config.sparseBlockCount());
        json.addProperty("token_mixing_experts", config.tokenMixingExperts());
        json.addProperty("channel_mixing_experts", config.channelMixingExperts());
        json.addProperty("top_k", config.topK());
        json.addProperty("capacity_factor", config.capacityFactor());
        json.addProperty("router", config.router().name());
        json.addProperty("channel_moe_inside", config.channelMoeInside());
        json.addProperty("re_representation", config.reRepresentation());
        json.addProperty("num_heads", config.numHeads());
        json.addProperty("tied_embeddings", config.tiedEmbeddings());
        return entry(MODEL, json);
    }

    /**
     * {@code moelab.layer}: an MoE layer of {@code E} experts {@code d → h → d} whose router sends
     * each item to its top {@code k} experts.
     *
     * @param normalize whether an item's k weights are renormalised to sum to one (GShard)
     * @param priority the order in which items claim capacity
     */
    public static Map<String, String> moeLayer(int experts, int modelDim, int hiddenDim, int k,
            double capacityFactor, boolean normalize, Priority priority) {
        JsonObject json = new JsonObject();
        json.addProperty("num_experts", experts);
        json.addProperty("model_dim", modelDim);
        json.addProperty("hidden_dim", hiddenDim);
        json.addProperty("k", k);
        json.addProperty("capacity_factor", capacityFactor);
        json.addProperty("normalize", normalize);
        json.addProperty("priority", priority.name());
        return entry(LAYER, json);
    }

    private static Map<String, String> entry(String key, JsonObject json) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(key, GSON.toJson(json));
        return map;
    }
}
