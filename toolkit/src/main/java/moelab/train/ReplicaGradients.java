package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter server of multi-device training in {@link TrainStep}: DJL's {@code
 * ParameterStore} hands it, per parameter, the arrays of every device (index 0: the parameter
 * itself, on the first device; then one replica per other device). {@link #update} sums the
 * replicas' gradients onto the parameter's gradient, which {@link AdamW} then reads;
 * {@link #broadcast} copies the updated values back to the replicas and zeroes their gradients.
 * (DJL's own {@code LocalParameterServer} runs a DJL optimiser; moelab's AdamW is its own, so it
 * keeps its state in checkpoints.)
 */
final class ReplicaGradients implements ParameterServer {

    private final Map<String, NDArray[]> arrays = new LinkedHashMap<>();

    @Override
    public void init(String parameterId, NDArray[] value) {
        // the replicas are made by the ParameterStore; they are seen in update
    }

    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        arrays.put(parameterId, params);
        NDArray sum = grads[0];
        for (int i = 1; i < grads.length; i++) {
            try (NDArray moved = grads[i].toDevice(sum.getDevice(), true)) {
                sum.addi(moved);
            }
        }
    }

    /** Copies each parameter's value to its replicas and zeroes the replicas' gradients. */
    void broadcast() {
        for (NDArray[] params : arrays.values()) {
            for (int i = 1; i < params.length; i++) {
                try (NDArray moved = params[0].toDevice(params[i].getDevice(), true)) {
                    moved.copyTo(params[i]);
                }
                NDArray g = params[i].getGradient();
                g.subi(g);
            }
        }
    }

    @Override
    public void close() {
        arrays.clear();
    }
}
