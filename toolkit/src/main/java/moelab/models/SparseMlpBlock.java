package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.ChannelMixingMlp;
import moelab.mixing.ChannelMixingMoe;
import moelab.mixing.ReRepresentation;
import moelab.mixing.TokenMixingMlp;
import moelab.mixing.TokenMixingMoe;

/**
 * One Sparse-MLP block (Lou et al. 2021): re-representation layer 1 {@code (S, C) → (2S, C/2)},
 * {@code MoE_s} (token-mixing experts over the {@code 2S} patches), {@code MoE_c}
 * (channel-mixing experts), re-representation layer 2 back to {@code (S, C)}.
 *
 * <p>Residual and LayerNorm placement (design choice; the paper fixes only the order of the
 * layers), with {@code z} on the re-represented {@code (2S, C/2)} grid:
 *
 * <pre>
 * z = RR1(LN(x));  z = z + MoE_s(z)
 * channelMoeInside:  z = z + MoE_c(LN(z));  x = x + RR2(z)
 * otherwise:         x = x + RR2(z);        x = x + MoE_c(LN(x))     (MoE_c on (S, C))
 * </pre>
 *
 * Without re-representation ({@link SparseMlpConfig#reRepresentation()} false, an ablation) the block
 * is a Mixer block whose two sublayers are MoE layers on the {@code (S, C)} grid:
 *
 * <pre>
 * x = x + MoE_s(LN(x));  x = x + MoE_c(LN(x))
 * </pre>
 *
 * Items an expert drops come out of their MoE layer as zeros, so the residual carries them. An
 * expert count of 0 puts the dense {@link TokenMixingMlp} / {@link ChannelMixingMlp} in that slot.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}.
 */
public final class SparseMlpBlock extends CostedBlock {

    private final int patches;
    private final int channels;
    private final MixerPart mixer;
    private final MoePart tokenMoe;
    private final MoePart channelMoe;
    private final boolean channelMoeInside;
    private final boolean reRepresent;
    private final LayerNorm tokenNorm;
    private final ReRepresentation reRepresentation1;
    private final Block tokenMixing;
    private final LayerNorm channelNorm;
    private final Block channelMixing;
    private final ReRepresentation reRepresentation2;

    /** Builds one sparse block of the model {@code config} describes. */
    public SparseMlpBlock(SparseMlpConfig config) {
        patches = config.image().numPatches();
        mixer = config.mixer();
        channels = mixer.width();
        tokenMoe = config.tokenMoe();
        channelMoe = config.moe();
        reRepresent = config.reRepresentation();
        channelMoeInside = reRepresent && config.channelMoeInside();
        int patches2 = reRepresent ? 2 * patches : patches;
        int channels2 = reRepresent ? channels / 2 : channels;
        int channelItemWidth = channelMoeInside ? channels2 : channels;
        tokenNorm = addChildBlock("tokenNorm", LayerNorm.builder().axis(2).build());
        reRepresentation1 = reRepresent ? addChildBlock("reRepresentation1",
                new ReRepresentation(patches, channels, patches2, channels2)) : null;
        tokenMixing = addChildBlock("tokenMixing", tokenMoe.experts() == 0
                ? new TokenMixingMlp(patches2, mixer.tokenHidden())
                : new TokenMixingMoe(tokenMoe.layer(patches2, mixer.tokenHidden())));
        channelNorm = addChildBlock("channelNorm", LayerNorm.builder().axis(2).build());
        channelMixing = addChildBlock("channelMixing", channelMoe.experts() == 0
                ? new ChannelMixingMlp(channelItemWidth, mixer.channelHidden())
                : new ChannelMixingMoe(channelMoe.layer(channelItemWidth, mixer.channelHidden())));
        reRepresentation2 = reRepresent ? addChildBlock("reRepresentation2",
                new ReRepresentation(patches2, channels2, patches, channels)) : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        if (!reRepresent) {
            x = x.add(apply(tokenMixing, apply(tokenNorm, x, store, training, params), store,
                    training, params)); // (B, S, C)
            x = x.add(apply(channelMixing, apply(channelNorm, x, store, training, params), store,
                    training, params)); // (B, S, C)
            return new NDList(x);
        }
        NDArray z = apply(reRepresentation1, apply(tokenNorm, x, store, training, params), store,
                training, params); // (B, 2S, C/2)
        z = z.add(apply(tokenMixing, z, store, training, params)); // (B, 2S, C/2)
        if (channelMoeInside) {
            z = z.add(apply(channelMixing, apply(channelNorm, z, store, training, params), store,
                    training, params)); // (B, 2S, C/2)
            x = x.add(apply(reRepresentation2, z, store, training, params)); // (B, S, C)
        } else {
            x = x.add(apply(reRepresentation2, z, store, training, params)); // (B, S, C)
            x = x.add(apply(channelMixing, apply(channelNorm, x, store, training, params), store,
                    training, params)); // (B, S, C)
        }
        return new NDList(x);
    }

    private static NDArray apply(Block block, NDArray x, ParameterStore store, boolean training,
            PairList<String, Object> params) {
        return block.forward(store, new NDList(x), training, params).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape outer = inputShapes[0]; // (B, S, C)
        tokenNorm.initialize(manager, dataType, outer);
        if (!reRepresent) {
            tokenMixing.initialize(manager, dataType, outer);
            channelNorm.initialize(manager, dataType, outer);
            channelMixing.initialize(manager, dataType, outer);
            return;
        }
        Shape inner = new Shape(outer.get(0), 2L * patches, channels / 2); // (B, 2S, C/2)
        reRepresentation1.initialize(manager, dataType, outer);
        tokenMixing.initialize(manager, dataType, inner);
        channelNorm.initialize(manager, dataType, channelMoeInside ? inner : outer);
        channelMixing.initialize(manager, dataType, channelMoeInside ? inner : outer);
        reRepresentation2.initialize(manager, dataType, inner);
    }

    /**
     * Parameters and FLOPs per image: {@code MoE_s} routes the {@code C'} columns of length
     * {@code S'}, {@code MoE_c} the rows of the grid it runs on; re-representation layers are
     * two linear maps each (channels, then patches).
     */
    @Override
    public Cost cost() {
        long s = patches;
        long c = channels;
        long s2 = reRepresent ? 2 * s : s;
        long c2 = reRepresent ? c / 2 : c;
        Cost cost = Cost.layerNorm(c);
        if (reRepresent) {
            cost = cost.plus(Cost.linear(c, c2, s)) // RR1, channels: C -> C/2 on S rows
                    .plus(Cost.linear(s, s2, c2)); // RR1, patches: S -> 2S on C/2 columns
        }
        cost = cost.plus(tokenMoe.cost(s2, mixer.tokenHidden(), c2));
        long width = channelMoeInside ? c2 : c;
        long items = channelMoeInside ? s2 : s;
        cost = cost.plus(Cost.layerNorm(width)).plus(channelMoe.cost(width, mixer.channelHidden(), items));
        if (reRepresent) {
            cost = cost.plus(Cost.linear(c2, c, s2)) // RR2, channels: C/2 -> C on 2S rows
                    .plus(Cost.linear(s2, s, c)); // RR2, patches: 2S -> S on C columns
        }
        return cost;
    }
}
