package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.Map;
import moelab.moe.AuxLosses;
import moelab.moe.MoeBlock;
import moelab.nd.Scalars;

/**
 * The training objective of an MoE model: the task loss plus the auxiliary losses of the MoE
 * layers that ran in the forward pass,
 *
 * <pre>
 *   L = CE(logits, labels) + w_aux · Σ_calls L_aux(call)
 * </pre>
 *
 * where CE is softmax cross-entropy averaged over examples (classifiers: logits {@code (B, K)},
 * labels {@code (B)}) or over tokens (language models: logits {@code (B, T, V)}, labels {@code (B,
 * T)}), and the sum runs over the entries of the pass's {@link AuxLosses} record: one per MoE
 * forward call (a layer called twice counts twice, a layer that did not run not at all), each
 * already including the layer's own λ. Open the record around the forward pass, inside the {@code
 * GradientCollector}, so the aux losses are part of the graph that {@code backward}
 * differentiates:
 *
 * <pre>
 *   try (GradientCollector collector = ...; AuxLosses auxLosses = AuxLosses.open()) {
 *       NDArray logits = model.forward(store, inputs, true).head();
 *       collector.backward(objective.compute(logits, labels, auxLosses).total());
 *   }
 * </pre>
 */
public final class MoeObjective {

    private final Loss crossEntropy =
            new SoftmaxCrossEntropyLoss("cross_entropy", 1f, -1, true, true);
    private final Map<String, MoeBlock> blocks;
    private final double auxLossWeight;

    /**
     * @param model the model trained; its MoE blocks ({@link MoeBlock#findAll}) name the layers
     *     of the routing statistics
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
     * The loss of one batch.
     *
     * @param logits {@code (B, K)} or {@code (B, T, V)}
     * @param labels {@code (B)} or {@code (B, T)}
     * @param auxLosses the record of the forward pass that gave the logits
     * @return total, task and (unweighted) aux parts, all scalars; {@code total} is the one to
     *     differentiate
     */
    public Parts compute(NDArray logits, NDArray labels, AuxLosses auxLosses) {
        NDArray task = taskLoss(logits, labels);
        NDArray aux = auxLosses.sum(task);
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
