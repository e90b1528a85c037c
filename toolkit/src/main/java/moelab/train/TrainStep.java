package moelab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import moelab.moe.AuxLosses;

/**
 * One optimiser step of the training loop (see {@link TrainingLoop}): forward and backward inside
 * a {@link GradientCollector} with the {@link MoeObjective} as loss (its aux losses from the
 * forward pass's {@link AuxLosses} record), the routing recorded into
 * {@link RoutingStats}, gradient clipping by global norm, an {@link AdamW} update, gradients
 * zeroed.
 *
 * <p>With several devices (every GPU DJL sees) the batch is split along its first axis, one slice
 * per device ({@link Batch#split}); each device runs forward and backward on its slice with a
 * replica of the parameters, the replicas' gradients are summed onto the parameters ({@link
 * ReplicaGradients}), AdamW updates the parameters once, and the new values are copied back to
 * the replicas. Each slice's loss is weighted by its share of the batch, so the summed gradient is
 * that of the batch mean, as on one device. On one device (the CPU, one GPU) nothing is split.
 */
final class TrainStep {

    private final Block model;
    private final Device[] devices;
    private final MoeObjective objective;
    private final RoutingStats routingStats;
    private final GlobalNormClipping clipping;
    private final AdamW optimizer;
    private final ParameterStore store;
    private final ReplicaGradients replicas;

    /**
     * What one step measured.
     *
     * @param loss total loss (task + weighted aux)
     * @param taskLoss cross-entropy
     * @param auxLoss weighted sum of the MoE aux losses
     * @param gradNorm global gradient norm before clipping
     * @param accuracy batch accuracy of a classifier, NaN for a language model
     */
    record Metrics(double loss, double taskLoss, double auxLoss, double gradNorm,
                   double accuracy) {}

    /**
     * @param devices where the step runs; the model's parameters live on {@code devices[0]}
     * @param manager holds the parameter replicas of the other devices
     */
    TrainStep(Block model, Device[] devices, TrainConfig config, RoutingStats routingStats,
              AdamW optimizer, NDManager manager) {
        this.model = model;
        this.devices = devices.clone();
        this.objective = new MoeObjective(model, config.auxLossWeight());
        this.routingStats = routingStats;
        this.clipping = config.clipNorm() > 0 ? new GlobalNormClipping(config.clipNorm()) : null;
        this.optimizer = optimizer;
        this.store = new ParameterStore(manager, false);
        this.replicas = devices.length > 1 ? new ReplicaGradients() : null;
        if (replicas != null) {
            store.setParameterServer(replicas, this.devices);
        }
    }

    /** The routing statistics the steps add to. */
    RoutingStats routingStats() {
        return routingStats;
    }

    /**
     * Trains on one batch at learning rate {@code lr}.
     *
     * @throws IllegalStateException when the gradient is not finite (the update is not applied)
     */
    Metrics run(Batch batch, double lr) {
        ParameterList parameters = model.getParameters();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Batch[] slices = devices.length > 1 ? batch.split(devices, false) : new Batch[] {batch};
            List<Metrics> parts = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                long total = batch.getSize();
                for (int i = 0; i < slices.length; i++) {
                    long size = slices[i].getSize();
                    parts.add(forwardBackward(collector, slices[i], devices[i], size / (double) total));
                    sizes.add(size);
                }
            }
            if (replicas != null) {
                store.updateAllParameters(); // replica gradients summed onto the parameters
            }
            double gradNorm = clipping != null ? clipping.clip(parameters)
                    : GlobalNormClipping.globalNorm(parameters);
            if (!Double.isFinite(gradNorm)) {
                throw new IllegalStateException("the gradient is not finite (global norm "
                        + gradNorm + ", loss " + mean(parts, sizes).loss() + ") in parameters "
                        + nonFiniteGradients(parameters) + "; the update is not applied");
            }
            optimizer.step(parameters, lr);
            zeroGradients(parameters);
            if (replicas != null) {
                replicas.broadcast();
            }
            Metrics m = mean(parts, sizes);
            return new Metrics(m.loss(), m.taskLoss(), m.auxLoss(), gradNorm, m.accuracy());
        }
    }

    /** Forward and backward of one slice, its loss scaled by {@code weight} (its batch share). */
    private Metrics forwardBackward(GradientCollector collector, Batch slice, Device device,
                                    double weight) {
        NDList inputs = slice.getData().toDevice(device, false);
        NDArray labels = slice.getLabels().head().toDevice(device, false);
        NDArray logits;
        MoeObjective.Parts loss;
        AuxLosses auxLosses = AuxLosses.open(); // this forward pass's MoE aux losses and routings
        try (auxLosses) {
            logits = model.forward(store, inputs, true).head();
            loss = objective.compute(logits, labels, auxLosses);
        }
        collector.backward(weight == 1 ? loss.total() : loss.total().mul(weight));
        routingStats.record(auxLosses, objective.blocks());
        double accuracy = Double.NaN;
        if (logits.getShape().dimension() == 2) {
            accuracy = logits.argMax(-1).toType(DataType.INT64, false)
                    .eq(labels.toType(DataType.INT64, false)).toType(DataType.FLOAT32, false)
                    .mean().getFloat();
        }
        return new Metrics(loss.total().getFloat(), loss.task().getFloat(), loss.aux().getFloat(),
                Double.NaN, accuracy);
    }

    /** The slices' metrics averaged, each weighted by its number of examples. */
    private static Metrics mean(List<Metrics> parts, List<Long> sizes) {
        double n = sizes.stream().mapToLong(Long::longValue).sum();
        double[] sum = new double[4];
        for (int i = 0; i < parts.size(); i++) {
            Metrics m = parts.get(i);
            double w = sizes.get(i) / n;
            sum[0] += w * m.loss();
            sum[1] += w * m.taskLoss();
            sum[2] += w * m.auxLoss();
            sum[3] += w * m.accuracy();
        }
        return new Metrics(sum[0], sum[1], sum[2], Double.NaN, sum[3]);
    }

    private static List<String> nonFiniteGradients(ParameterList parameters) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                NDArray g = w.getGradient();
                if (g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean()) {
                    names.add(p.getKey());
                }
            }
        }
        return names;
    }

    private static void zeroGradients(ParameterList parameters) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                NDArray g = w.getGradient();
                g.subi(g);
            }
        }
    }
}
