package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) with its state held
 * explicitly so that a checkpoint can save and restore it.
 *
 * <p>DJL 0.35.1 has an {@code Optimizer.adamW()}, but its moment estimates and per-parameter update
 * counts are private fields with no way to read or write them, so a resumed run would restart the
 * moments from zero and the bias correction from step 1. This class is that algorithm with the state
 * in the open: for every trainable parameter {@code w} with gradient {@code g}, at update {@code t}
 * (1-based) with learning rate {@code η}:
 *
 * <pre>
 *   w ← w − η λ w                      (decoupled weight decay; matrices only, see below)
 *   m ← β1 m + (1 − β1) g
 *   v ← β2 v + (1 − β2) g²
 *   w ← w − η · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 *
 * which is PyTorch's {@code torch.optim.AdamW}. Weight decay applies to parameters of rank ≥ 2
 * (weight matrices, batched expert weights {@code (E, d, h)}) and not to biases or normalisation
 * scales — the usual practice for Transformers and Mixers (design choice).
 *
 * <p>State: {@code m} and {@code v} per parameter, same shape as the parameter, keyed by the
 * parameter's path in {@link ai.djl.nn.Block#getParameters()} (stable across runs that build the
 * same architecture), and the update count {@code t}.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private long updates;

    /**
     * @param beta1 first-moment decay {@code β1} in [0, 1)
     * @param beta2 second-moment decay {@code β2} in [0, 1)
     * @param epsilon {@code ε > 0}
     * @param weightDecay decoupled weight decay {@code λ >= 0}
     */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(epsilon > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("AdamW needs betas in [0,1), eps > 0, weight decay"
                    + " >= 0; got " + beta1 + ", " + beta2 + ", " + epsilon + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** AdamW with the hyper-parameters of a training configuration. */
    public static AdamW of(TrainConfig config) {
        return new AdamW(config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
    }

    /**
     * Applies one update to every trainable parameter that has a gradient, in place, and counts
     * one step. Gradients are left as they are (the caller zeroes them).
     *
     * @param parameters the model's {@code getParameters()}
     * @param learningRate {@code η} for this update
     */
    public void step(ParameterList parameters, double learningRate) {
        updates++;
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        for (Pair<String, Parameter> entry : parameters) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                continue;
            }
            NDArray w = parameter.getArray();
            if (!w.hasGradient()) {
                continue;
            }
            String key = entry.getKey();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = w.getGradient();
                NDArray m = firstMoment.computeIfAbsent(key, k -> persistent(w.zerosLike()));
                NDArray v = secondMoment.computeIfAbsent(key, k -> persistent(w.zerosLike()));
                // float scalars throughout: a Java double would promote the temporaries to float64
                if (weightDecay > 0 && w.getShape().dimension() >= 2) {
                    w.muli((float) (1 - learningRate * weightDecay));
                }
                m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denominator = v.div((float) correction2).sqrt().addi((float) epsilon);
                w.subi(m.div((float) correction1).divi(denominator).muli((float) learningRate));
            }
        }
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    /** Updates done so far, {@code t}. */
    public long updates() {
        return updates;
    }

    /** First moment {@code m} of a parameter (by its path), or null before its first update. */
    public NDArray firstMoment(String parameter) {
        return firstMoment.get(parameter);
    }

    /** Second moment {@code v} of a parameter (by its path), or null before its first update. */
    public NDArray secondMoment(String parameter) {
        return secondMoment.get(parameter);
    }

    /**
     * Writes {@code t} and every {@code (path, m, v)}.
     *
     * @throws IOException when the stream fails
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        out.writeInt(firstMoment.size());
        for (Map.Entry<String, NDArray> e : firstMoment.entrySet()) {
            out.writeUTF(e.getKey());
            writeArray(out, e.getValue());
            writeArray(out, secondMoment.get(e.getKey()));
        }
    }

    /**
     * Replaces the state by one written with {@link #save}; moments are placed on {@code manager}'s
     * device.
     *
     * @throws IOException when the stream fails or is not an AdamW state
     */
    public void load(DataInputStream in, NDManager manager) throws IOException {
        long count = in.readLong();
        int n = in.readInt();
        if (count < 0 || n < 0) {
            throw new IOException("not an AdamW state: t=" + count + ", " + n + " parameters");
        }
        Map<String, NDArray> m = new LinkedHashMap<>();
        Map<String, NDArray> v = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            m.put(key, readArray(in, manager));
            v.put(key, readArray(in, manager));
        }
        firstMoment.values().forEach(NDArray::close);
        secondMoment.values().forEach(NDArray::close);
        firstMoment.clear();
        secondMoment.clear();
        firstMoment.putAll(m);
        secondMoment.putAll(v);
        updates = count;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt AdamW state: array of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        NDArray array = manager.decode(bytes);
        NDArray onDevice = array.toDevice(manager.getDevice(), false);
        if (onDevice != array) {
            array.close();
        }
        return onDevice;
    }

    /** Frees the moment arrays; the optimiser starts from scratch afterwards. */
    @Override
    public void close() {
        firstMoment.values().forEach(NDArray::close);
        secondMoment.values().forEach(NDArray::close);
        firstMoment.clear();
        secondMoment.clear();
        updates = 0;
    }

    @Override
    public String toString() {
        return "AdamW(β1=" + beta1 + ", β2=" + beta2 + ", ε=" + epsilon + ", λ=" + weightDecay
                + ", t=" + updates + ")";
    }
}
