package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import moelab.moe.MoeBlock;
import moelab.nd.Scalars;

/**
 * The training objective of an MoE model: the task loss plus the auxiliary losses of every MoE
 * block inside it,
 *
 * <pre>
 *   L = CE(logits, labels) + w_aux · Σ_layers L_aux(layer)
 * </pre>
 *
 * where CE is softmax cross-entropy averaged over examples (classifiers: logits {@code (B, K)},
 * labels {@code (B)}) or over tokens (language models: logits {@code (B, T, V)}, labels {@code (B,
 * T)}), and each {@code L_aux} is the layer's {@link MoeBlock#lastAuxLoss()} of the forward pass
 * just made (it already includes the layer's own λ). Call {@link #compute} right after the forward
 * pass and inside the {@code GradientCollector}, so the aux losses are part of the graph that
 * {@code backward} differentiates.
 *
 * <p>A block that did not run in this forward pass still holds the aux loss of an earlier one; it
 * is recognised (same array object as last time) and left out.
 */
public final class MoeObjective {

    private final Loss crossEntropy =
            new SoftmaxCrossEntropyLoss("cross_entropy", 1f, -1, true, true);
    private final Map<String, MoeBlock> blocks;
    private final double auxLossWeight;
    private final Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param model the model whose MoE blocks contribute aux losses (found by {@link
     *     MoeBlock#findAll})
     * @param auxLossWeight {@code w_aux >= 0}
     */
    public MoeObjective(Block model, double auxLossWeight) {
        if (auxLossWeight < 0) {
            throw new IllegalArgumentException("aux loss weight must be >= 0, got " + auxLossWeight);
        }
        this.blocks = MoeBlock.findAll(model);
        this.auxLossWeight = auxLossWeight;
    }

    /** The MoE blocks found in the model, by path, in forward order. */
    public Map<String, MoeBlock> blocks() {
        return blocks;
    }

    /**
     * Softmax cross-entropy of logits against integer class labels, averaged over all positions.
     *
     * @param logits {@code (B, K)} or {@code (B, T, V)}
     * @param labels {@code (B)} or {@code (B, T)}, integer class ids
     * @return a scalar
     * @throws IllegalArgumentException when the shapes do not match
     */
    public NDArray taskLoss(NDArray logits, NDArray labels) {
        Shape ls = logits.getShape();
        Shape ys = labels.getShape();
        if (ls.dimension() != ys.dimension() + 1 || !ls.slice(0, ls.dimension() - 1).equals(ys)) {
            throw new IllegalArgumentException("logits " + ls + " do not match labels " + ys
                    + ": need (B, K) with (B) or (B, T, V) with (B, T)");
        }
        long classes = ls.get(ls.dimension() - 1);
        NDArray flatLogits = logits.reshape(-1, classes); // (B·T, V) or (B, K)
        NDArray flatLabels = labels.reshape(-1).toType(DataType.INT64, false); // (B·T) or (B)
        return crossEntropy.evaluate(new NDList(flatLabels), new NDList(flatLogits));
    }

    /**
     * Sum of the aux losses of the blocks that ran in the latest forward pass (unweighted).
     *
     * @param like an array on the device and of the type to create the zero on, when there are
     *     no MoE blocks
     * @return a scalar; zero when the model has no MoE block
     */
    public NDArray auxLoss(NDArray like) {
        NDArray sum = null;
        Set<NDArray> current = Collections.newSetFromMap(new IdentityHashMap<>());
        for (MoeBlock block : blocks.values()) {
            NDArray aux = block.lastAuxLoss();
            if (aux == null || seen.contains(aux)) {
                continue;
            }
            current.add(aux);
            // an aux loss scaled by a Java double comes out as float64: bring it to the task's type
            NDArray term = aux.getDataType() == like.getDataType() ? aux
                    : aux.toType(like.getDataType(), false);
            sum = sum == null ? term : sum.add(term);
        }
        seen.clear();
        seen.addAll(current);
        return sum != null ? sum : like.getManager().zeros(new Shape(), like.getDataType());
    }

    /**
     * The loss of one batch.
     *
     * @param logits {@code (B, K)} or {@code (B, T, V)}
     * @param labels {@code (B)} or {@code (B, T)}
     * @return total, task and (unweighted) aux parts, all scalars; {@code total} is the one to
     *     differentiate
     */
    public Parts compute(NDArray logits, NDArray labels) {
        NDArray task = taskLoss(logits, labels);
        NDArray aux = auxLoss(task);
        NDArray total = auxLossWeight == 0 ? task : task.add(Scalars.times(aux, auxLossWeight));
        return new Parts(total, task, aux);
    }

    /** The weight {@code w_aux}. */
    public double auxLossWeight() {
        return auxLossWeight;
    }

    /**
     * The parts of a batch's loss.
     *
     * @param total {@code task + w_aux · aux}
     * @param task the cross-entropy
     * @param aux the unweighted sum of the layers' aux losses
     */
    public record Parts(NDArray total, NDArray task, NDArray aux) {}
}
