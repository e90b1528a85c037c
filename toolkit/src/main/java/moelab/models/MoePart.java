package moelab.models;

import ai.djl.nn.Block;
import moelab.mixing.FeedForward;
import moelab.moe.AuxLoss;
import moelab.moe.BalanceLoss;
import moelab.moe.ImportanceLoss;
import moelab.moe.LoadLoss;
import moelab.moe.MoeLayer;
import moelab.routing.BaseRouter;
import moelab.routing.BatchPriorityRouter;
import moelab.routing.CausalBaseRouter;
import moelab.routing.GShardRouter;
import moelab.routing.HashRouter;
import moelab.routing.Router;
import moelab.routing.SwitchRouter;

/**
 * The MoE part of a sparse model's config: where the MoE layers go and how they route. The
 * models that use it: Sparse-MLP ({@code MoE_c}, and {@code MoE_s} with its own expert count),
 * sMLP (tMoE) and Transformer-MoE (the routed FFNs).
 *
 * @param blocks how many of the last blocks are sparse
 * @param experts {@code E}, experts per MoE layer; 0 puts the dense layer in each MoE slot (the
 *     same architecture without experts, for ablations and equivalence tests)
 * @param topK {@code K}, experts per item for {@link RouterKind#BATCH_PRIORITY} (the other routers
 *     fix it: 2 for GShard, 1 for the rest)
 * @param router the routing strategy and its auxiliary loss
 * @param capacityFactor {@code φ}: each expert takes at most {@code ceil(K · T · φ / E)} items;
 *     {@code <= 0} for no dropping (see {@link moelab.routing.Capacity})
 * @param auxLossWeight {@code λ}, the weight of each MoE layer's auxiliary loss
 */
public record MoePart(int blocks, int experts, int topK, RouterKind router, double capacityFactor,
        double auxLossWeight) {

    /** Checks the values. */
    public MoePart {
        Checks.require(blocks >= 0, "moe.blocks", blocks, "must be >= 0");
        Checks.require(experts >= 0, "moe.experts", experts, "must be >= 0 (0 for the dense layer)");
        Checks.require(topK >= 1 && (experts == 0 || topK <= experts), "moe.top-k", topK,
                "must be in [1, experts=" + experts + "]");
        Checks.require(router != null, "moe.router", router, "must be set");
        Checks.require(router != RouterKind.GSHARD || experts != 1, "moe.experts", experts,
                "GShard top-2 routing needs >= 2 experts");
        Checks.require(auxLossWeight >= 0, "moe.aux-loss-weight", auxLossWeight, "must be >= 0");
    }

    /** No MoE layers: every slot dense. */
    public static MoePart dense() {
        return new MoePart(0, 0, 1, RouterKind.SWITCH, 0, 0);
    }

    /** This part with {@code blocks} sparse blocks. */
    public MoePart withBlocks(int blocks) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** This part with {@code E = experts}. */
    public MoePart withExperts(int experts) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** This part with {@code K = topK}. */
    public MoePart withTopK(int topK) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** This part with another router. */
    public MoePart withRouter(RouterKind router) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** This part with capacity factor {@code φ}. */
    public MoePart withCapacityFactor(double capacityFactor) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** This part with aux-loss weight {@code λ}. */
    public MoePart withAuxLossWeight(double auxLossWeight) {
        return new MoePart(blocks, experts, topK, router, capacityFactor, auxLossWeight);
    }

    /** A new router of this kind, with {@code K} and the capacity factor. */
    public Router newRouter() {
        return switch (router) {
            case BATCH_PRIORITY -> new BatchPriorityRouter(topK, capacityFactor, -1);
            case SWITCH -> new SwitchRouter(capacityFactor);
            case GSHARD -> new GShardRouter(capacityFactor);
            case BASE -> new BaseRouter();
            case BASE_CAUSAL -> new CausalBaseRouter();
            case HASH -> new HashRouter(0);
        };
    }

    /** The auxiliary loss of weight {@code λ} that goes with the router. */
    public AuxLoss auxLoss() {
        return switch (router) {
            case BATCH_PRIORITY -> new ImportanceLoss().plus(new LoadLoss()).times(auxLossWeight / 2);
            case SWITCH, GSHARD -> new BalanceLoss().times(auxLossWeight);
            case BASE, BASE_CAUSAL, HASH -> AuxLoss.none();
        };
    }

    /** Experts each item is sent to: {@code K}, 2 or 1 by router, at most {@code E}. */
    public int expertsPerItem() {
        int k = switch (router) {
            case BATCH_PRIORITY -> topK;
            case GSHARD -> 2;
            case SWITCH, BASE, BASE_CAUSAL, HASH -> 1;
        };
        return Math.min(k, experts);
    }

    /** An MoE layer of {@code E} expert MLPs {@code d → h → d} ({@code E >= 1}). */
    public MoeLayer layer(int d, int h) {
        return MoeLayer.builder().setNumExperts(experts).setModelDim(d).setHiddenDim(h)
                .setRouter(newRouter()).optAuxLoss(auxLoss()).build();
    }

    /**
     * The feed-forward layer of a language model, {@code (B, T, d) → (B, T, d)}: the dense
     * {@link FeedForward} when {@code E = 0}, else {@link #layer}; {@link RouterKind#BASE_CAUSAL}
     * routes the tokens position by position ({@link PositionMajor}).
     */
    public Block tokenLayer(int d, int h) {
        if (experts == 0) {
            return new FeedForward(d, h);
        }
        return router == RouterKind.BASE_CAUSAL ? new PositionMajor(layer(d, h)) : layer(d, h);
    }

    /**
     * Parameters and FLOPs of the layer in an MoE slot {@code d → h → d} on {@code items} items:
     * the dense MLP when {@code E = 0}, else gate plus {@code E} experts, {@code K} active.
     */
    public Cost cost(long d, long h, long items) {
        return experts == 0 ? Cost.feedForward(d, h, items)
                : Cost.moe(d, h, experts, expertsPerItem(), items);
    }

    /**
     * Whether, in training, a token's output can change only with tokens at its own or earlier
     * positions: true without experts, for routers that decide each token from that token alone
     * and no capacity limit, and for {@link RouterKind#BASE_CAUSAL}; false for BASE (balanced over
     * the batch) and for any capacity limit (tokens claim capacity in batch order).
     */
    public boolean causalInTraining() {
        return experts == 0 || switch (router) {
            case BASE -> false;
            case BASE_CAUSAL, HASH -> true;
            case BATCH_PRIORITY, SWITCH, GSHARD -> capacityFactor <= 0;
        };
    }

    /** Like {@link #causalInTraining()} at evaluation, where BASE sends each token to its best expert. */
    public boolean causalInEvaluation() {
        return experts == 0 || switch (router) {
            case BASE, BASE_CAUSAL, HASH -> true;
            case BATCH_PRIORITY, SWITCH, GSHARD -> capacityFactor <= 0;
        };
    }
}
