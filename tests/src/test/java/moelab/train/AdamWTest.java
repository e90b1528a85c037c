package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final double LR = 0.1;
    private static final double DECAY = 0.1;

    /** A bias-like vector b = (1, −2) and a weight matrix W = ((1, 2)). */
    private static ParameterList params(NDManager manager) {
        Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build();
        Parameter w = Parameter.builder().setName("W").setType(Parameter.Type.WEIGHT).build();
        b.setArray(manager.create(new float[] {1, -2}));
        w.setArray(manager.create(new float[] {1, 2}, new Shape(1, 2)));
        b.getArray().setRequiresGradient(true);
        w.getArray().setRequiresGradient(true);
        ParameterList list = new ParameterList();
        list.add("b", b);
        list.add("W", w);
        return list;
    }

    /** Sets both gradients to {@code scale · (0.5, −1)}. */
    private static void gradients(NDManager manager, ParameterList p, float scale) {
        for (var e : p) {
            NDArray a = e.getValue().getArray();
            if (a.hasGradient()) {
                a.getGradient().subi(a.getGradient());
            }
        }
        NDArray c = manager.create(new float[] {0.5f * scale, -1f * scale});
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.get("b").getArray().mul(c).sum()
                    .add(p.get("W").getArray().reshape(2).mul(c).sum()));
        }
    }

    @Test
    void firstStepMovesEachWeightByLrTimesSignAndDecaysOnlyMatrices() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList p = params(manager);
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, DECAY);
            gradients(manager, p, 1);
            adam.step(p, LR);
            // t = 1: m̂ = g, v̂ = g², so the step is lr · g / |g| = ±0.1.
            assertThat(p.get("b").getArray().toFloatArray())
                    .containsExactly(new float[] {0.9f, -1.9f}, within(1e-6f));
            // W is decayed first: W · (1 − lr λ) = W · 0.99, then the same ±0.1 step.
            assertThat(p.get("W").getArray().toFloatArray())
                    .containsExactly(new float[] {0.89f, 2.08f}, within(1e-6f));
            assertThat(adam.updates()).isEqualTo(1);
            assertThat(adam.firstMoment("b").toFloatArray())
                    .containsExactly(new float[] {0.05f, -0.1f}, within(1e-7f));
            assertThat(adam.secondMoment("b").toFloatArray())
                    .containsExactly(new float[] {0.00025f, 0.001f}, within(1e-9f));
        }
    }

    @Test
    void secondStepUsesBiasCorrectedMoments() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList p = params(manager);
            AdamW adam = new AdamW(0.9, 0.999, 1e-8, DECAY);
            gradients(manager, p, 1);
            adam.step(p, LR);
            gradients(manager, p, 2);
            adam.step(p, LR);
            double[] g1 = {0.5, -1};
            double[] b0 = {1, -2};
            double[] w0 = {1, 2};
            float[] b = p.get("b").getArray().toFloatArray();
            float[] w = p.get("W").getArray().toFloatArray();
            for (int i = 0; i < 2; i++) {
                double m1 = 0.1 * g1[i];
                double v1 = 0.001 * g1[i] * g1[i];
                double m2 = 0.9 * m1 + 0.1 * 2 * g1[i];
                double v2 = 0.999 * v1 + 0.001 * 4 * g1[i] * g1[i];
                double step1 = LR * m1 / 0.1 / (Math.sqrt(v1 / 0.001) + 1e-8);
                double step2 = LR * (m2 / (1 - 0.81)) / (Math.sqrt(v2 / (1 - 0.999 * 0.999)) + 1e-8);
                assertThat(b[i]).isCloseTo((float) (b0[i] - step1 - step2), within(1e-6f));
                double wAfter1 = w0[i] * (1 - LR * DECAY) - step1;
                double wAfter2 = wAfter1 * (1 - LR * DECAY) - step2;
                assertThat(w[i]).isCloseTo((float) wAfter2, within(1e-6f));
            }
        }
    }

    @Test
    void savedStateContinuesIdentically() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList p = params(manager);
            ParameterList q = params(manager);
            AdamW original = new AdamW(0.9, 0.999, 1e-8, DECAY);
            gradients(manager, p, 1);
            original.step(p, LR);
            gradients(manager, q, 1);
            new AdamW(0.9, 0.999, 1e-8, DECAY).step(q, LR);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.save(new DataOutputStream(bytes));
            AdamW restored = new AdamW(0.9, 0.999, 1e-8, DECAY);
            restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                    manager);
            assertThat(restored.updates()).isEqualTo(1);

            gradients(manager, p, 2);
            original.step(p, LR);
            gradients(manager, q, 2);
            restored.step(q, LR);
            assertThat(q.get("b").getArray().toFloatArray())
                    .containsExactly(p.get("b").getArray().toFloatArray());
            assertThat(q.get("W").getArray().toFloatArray())
                    .containsExactly(p.get("W").getArray().toFloatArray());
        }
    }
}
