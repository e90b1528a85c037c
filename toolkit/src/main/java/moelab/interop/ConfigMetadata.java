package moelab.interop;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import moelab.models.ImageModelConfig;
import moelab.models.ImagePart;
import moelab.models.LanguageModelConfig;
import moelab.models.LmPart;
import moelab.models.MixerPart;
import moelab.models.ModelConfig;
import moelab.models.MoePart;
import moelab.models.SmlpConfig;
import moelab.models.SparseMlpConfig;
import moelab.models.TransformerConfig;
import moelab.models.TransformerMoeConfig;
import moelab.routing.Priority;

/**
 * The safetensors {@code __metadata__} entries that tell {@code bench/reference/moelab_torch.py}
 * what to build: {@code moelab.model} (a model configuration, flat JSON with snake-case keys) or {@code moelab.layer} (one MoE layer and its top-k router).
 */
public final class ConfigMetadata {

    /** Key of a whole model's configuration. */
    public static final String MODEL = "moelab.model";

    /** Key of a single MoE layer's configuration. */
    public static final String LAYER = "moelab.layer";

    private static final Gson GSON = new Gson();

    private ConfigMetadata() {}

    /**
     * {@code moelab.model}: the configuration {@code config} as flat JSON, one key per quantity of
     * the paper ({@code width}, {@code num_blocks}, {@code top_k}, ...), so a PyTorch reader needs
     * no knowledge of moelab's config records.
     */
    public static Map<String, String> of(ModelConfig config) {
        JsonObject json = new JsonObject();
        json.addProperty("name", config.name());
        json.addProperty("family", config.family().name());
        if (config instanceof ImageModelConfig image) {
            addImage(json, image.image(), image.mixer());
        } else if (config instanceof LanguageModelConfig lm) {
            addLanguageModel(json, lm.lm());
        }
        MoePart moe = config.moe();
        json.addProperty("num_sparse_blocks", moe.blocks());
        json.addProperty("channel_mixing_experts", moe.experts());
        json.addProperty("top_k", moe.topK());
        json.addProperty("capacity_factor", moe.capacityFactor());
        json.addProperty("router", moe.router().name());
        if (config instanceof SparseMlpConfig sparse) {
            json.addProperty("token_mixing_experts", sparse.tokenExperts());
            json.addProperty("re_representation", sparse.reRepresentation());
            json.addProperty("channel_moe_inside", sparse.channelMoeInside());
        } else if (config instanceof SmlpConfig smlp) {
            json.addProperty("token_mixing_experts", smlp.spatialExperts());
        }
        if (config instanceof TransformerConfig t) {
            json.addProperty("num_heads", t.heads());
        } else if (config instanceof TransformerMoeConfig t) {
            json.addProperty("num_heads", t.heads());
        }
        return entry(MODEL, json);
    }

    private static void addImage(JsonObject json, ImagePart image, MixerPart mixer) {
        json.addProperty("image_size", image.imageSize());
        json.addProperty("image_channels", image.imageChannels());
        json.addProperty("patch_size", image.patchSize());
        json.addProperty("num_classes", image.numClasses());
        json.addProperty("width", mixer.width());
        json.addProperty("token_mixing_hidden", mixer.tokenHidden());
        json.addProperty("channel_mixing_hidden", mixer.channelHidden());
        json.addProperty("num_blocks", mixer.blocks());
    }

    private static void addLanguageModel(JsonObject json, LmPart lm) {
        json.addProperty("vocab_size", lm.vocabSize());
        json.addProperty("context_length", lm.contextLength());
        json.addProperty("width", lm.width());
        json.addProperty("channel_mixing_hidden", lm.hidden());
        json.addProperty("num_blocks", lm.blocks());
        json.addProperty("tied_embeddings", lm.tiedEmbeddings());
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
