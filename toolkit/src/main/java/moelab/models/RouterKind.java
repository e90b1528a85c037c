package moelab.models;

import moelab.moe.AuxLoss;
import moelab.moe.BalanceLoss;
import moelab.moe.ImportanceLoss;
import moelab.moe.LoadLoss;
import moelab.routing.BaseRouter;
import moelab.routing.BatchPriorityRouter;
import moelab.routing.GShardRouter;
import moelab.routing.HashRouter;
import moelab.routing.Router;
import moelab.routing.SwitchRouter;

/**
 * Which router (and which auxiliary loss) a named model configuration puts in its MoE layers. The
 * routers themselves live in {@link moelab.routing}; this only names the combinations the papers
 * compare.
 */
public enum RouterKind {
    /**
     * Sparse-MLP's importance-score routing: noisy {@code TopK(softmax(W_g x + ε))},
     * {@code ε ~ N(0, 1/E²)}, capacity served by top gate value ({@link BatchPriorityRouter}); aux
     * loss {@code λ(½ L_imp + ½ L_load)}.
     */
    BATCH_PRIORITY,
    /** Switch Transformer top-1 ({@link SwitchRouter}); aux loss {@code λ · E Σ f_e P_e}. */
    SWITCH,
    /** GShard top-2 ({@link GShardRouter}); aux loss {@code λ · E Σ f_e P_e}. */
    GSHARD,
    /** BASE layers balanced assignment ({@link BaseRouter}); no aux loss. */
    BASE,
    /** Hash layers, token id → expert ({@link HashRouter}, seed 0); no aux loss. */
    HASH;

    /**
     * The router for an MoE layer.
     *
     * @param k experts per item (used by {@link #BATCH_PRIORITY} only; the others fix it)
     * @param capacityFactor see {@link moelab.routing.Capacity}; {@code <= 0} for no dropping
     */
    public Router create(int k, double capacityFactor) {
        return switch (this) {
            case BATCH_PRIORITY -> new BatchPriorityRouter(k, capacityFactor, -1);
            case SWITCH -> new SwitchRouter(capacityFactor);
            case GSHARD -> new GShardRouter(capacityFactor);
            case BASE -> new BaseRouter();
            case HASH -> new HashRouter(0);
        };
    }

    /** The auxiliary loss of weight {@code λ} that goes with this router. */
    public AuxLoss auxLoss(double weight) {
        return switch (this) {
            case BATCH_PRIORITY -> new ImportanceLoss().plus(new LoadLoss()).times(weight / 2);
            case SWITCH, GSHARD -> new BalanceLoss().times(weight);
            case BASE, HASH -> AuxLoss.none();
        };
    }

    /** Experts each item is sent to. */
    public int expertsPerItem(int k) {
        return switch (this) {
            case BATCH_PRIORITY -> k;
            case GSHARD -> 2;
            case SWITCH, BASE, HASH -> 1;
        };
    }
}
