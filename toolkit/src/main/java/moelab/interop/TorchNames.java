package moelab.interop;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import moelab.experts.Experts;
import moelab.mixing.ChannelMixingMlp;
import moelab.mixing.ChannelMixingMoe;
import moelab.mixing.TokenMixingMlp;
import moelab.mixing.TokenMixingMoe;
import moelab.models.CausalLanguageModel;
import moelab.moe.MoeLayer;

/**
 * The PyTorch names of a moelab model's parameters: the keys its {@code state_dict} has in
 * {@code bench/reference/moelab_torch.py}. A name is the path of child blocks from the root, each
 * DJL child name (without its {@code 01} order prefix) written in snake case, then the parameter's
 * name, with these rules:
 *
 * <table>
 *   <caption>moelab → PyTorch</caption>
 *   <tr><th>moelab (DJL)</th><th>PyTorch</th></tr>
 *   <tr><td>child {@code blockN}</td><td>{@code blocks.N}</td></tr>
 *   <tr><td>{@link TokenMixingMoe} ({@code MoE_s})</td><td>{@code moe_s}</td></tr>
 *   <tr><td>{@link ChannelMixingMoe} ({@code MoE_c})</td><td>{@code moe_c}</td></tr>
 *   <tr><td>{@link TokenMixingMlp}, {@link ChannelMixingMlp}: the wrapped {@code mlp}</td>
 *       <td>left out: {@code token_mixing.w1}</td></tr>
 *   <tr><td>{@link MoeLayer} gate {@code W_g (d, E)}</td>
 *       <td>{@code gate.weight (E, d)} (transposed, {@code nn.Linear(d, E, bias=False)})</td></tr>
 *   <tr><td>{@link Experts} {@code w1 (E, d, h)}, {@code b1 (E, 1, h)}, {@code w2 (E, h, d)},
 *       {@code b2 (E, 1, d)}</td>
 *       <td>{@code experts.w1 (E, d, h)}, {@code experts.b1 (E, h)}, {@code experts.w2 (E, h, d)},
 *       {@code experts.b2 (E, d)}</td></tr>
 *   <tr><td>dense MLP {@code w1 (d, h)}, {@code b1 (h)}, {@code w2 (h, d)}, {@code b2 (d)}</td>
 *       <td>same names and shapes ({@code x @ w1}, not {@code nn.Linear})</td></tr>
 *   <tr><td>LayerNorm {@code gamma}, {@code beta}</td><td>{@code weight}, {@code bias}</td></tr>
 *   <tr><td>DJL {@code Linear} {@code weight (out, in)}, {@code bias}</td>
 *       <td>same ({@code nn.Linear})</td></tr>
 *   <tr><td>language model {@code tokenEmbedding (V, d)}</td>
 *       <td>{@code token_embedding.weight} ({@code nn.Embedding}; the tied output layer reuses
 *       it)</td></tr>
 *   <tr><td>{@code SpatialProjection} {@code weight (H, L, L)}, {@code bias (H, L, 1)}</td>
 *       <td>same names and shapes (gMLP's {@code gating.spatial}, sMLP's
 *       {@code s_moe.experts})</td></tr>
 * </table>
 *
 * <p>So {@code sparse-mlp-tiny}'s block 2 holds {@code blocks.2.token_norm.weight},
 * {@code blocks.2.re_representation1.channel_projection.weight},
 * {@code blocks.2.moe_s.gate.weight}, {@code blocks.2.moe_s.experts.w1}, ...,
 * {@code blocks.2.moe_c.experts.b2}, {@code blocks.2.re_representation2.patch_projection.bias};
 * the stem is {@code patch_embedding.projection.weight}, the end {@code norm.weight},
 * {@code head.weight}. {@code smlp-lm-tiny}'s block 3 holds {@code blocks.3.spatial_norm.weight},
 * {@code blocks.3.s_moe.experts.weight}, {@code blocks.3.feature_norm.bias},
 * {@code blocks.3.t_moe.gate.weight}, {@code blocks.3.t_moe.experts.w1}, ... A parameter shared
 * by two blocks is listed once, under its first name.
 */
public final class TorchNames {

    private static final Pattern ORDER_PREFIX = Pattern.compile("^\\d+");
    private static final Pattern BLOCK_INDEX = Pattern.compile("^block(\\d+)$");

    private TorchNames() {}

    /** Every parameter of an initialised {@code model}, in DJL's order, under its PyTorch name. */
    public static List<TorchParameter> of(Block model) {
        List<TorchParameter> out = new ArrayList<>();
        walk(model, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void walk(Block block, String prefix, List<TorchParameter> out,
            Set<Parameter> seen) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (seen.add(p.getValue())) {
                out.add(parameter(block, prefix, p.getKey(), p.getValue()));
            }
        }
        for (Pair<String, Block> c : block.getChildren()) {
            Block child = c.getValue();
            String name = childName(ORDER_PREFIX.matcher(c.getKey()).replaceFirst(""), child);
            if (child instanceof TokenMixingMoe || child instanceof ChannelMixingMoe
                    || child instanceof TokenMixingMlp || child instanceof ChannelMixingMlp) {
                child = child.getChildren().valueAt(0); // the wrapped MoE layer or MLP
            }
            walk(child, prefix + name + ".", out, seen);
        }
    }

    private static TorchParameter parameter(Block block, String prefix, String key,
            Parameter parameter) {
        if (block instanceof MoeLayer && key.equals("gate")) {
            return new TorchParameter(prefix + "gate.weight", parameter,
                    TorchParameter.Layout.TRANSPOSED);
        }
        if (block instanceof Experts && (key.equals("b1") || key.equals("b2"))) {
            return new TorchParameter(prefix + key, parameter, TorchParameter.Layout.SQUEEZED);
        }
        String name = key;
        if (block instanceof LayerNorm) {
            name = key.equals("gamma") ? "weight" : key.equals("beta") ? "bias" : key;
        } else if (block instanceof CausalLanguageModel) {
            name = snakeCase(key) + ".weight"; // an nn.Embedding's table
        }
        return new TorchParameter(prefix + name, parameter, TorchParameter.Layout.SAME);
    }

    private static String childName(String djlName, Block child) {
        if (child instanceof TokenMixingMoe) {
            return "moe_s";
        }
        if (child instanceof ChannelMixingMoe) {
            return "moe_c";
        }
        Matcher block = BLOCK_INDEX.matcher(djlName);
        return block.matches() ? "blocks." + block.group(1) : snakeCase(djlName);
    }

    /** {@code reRepresentation1 → re_representation1}, {@code sMoE → s_moe}. */
    static String snakeCase(String camel) {
        return camel.replace("MoE", "Moe").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
