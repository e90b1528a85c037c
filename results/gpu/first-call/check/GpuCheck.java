import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import moelab.course.RunSize;

/** Goal 1 of results/gpu: does DJL see the GPU, and does the course size itself for it. */
public class GpuCheck {
    public static void main(String[] args) {
        Engine engine = Engine.getInstance();
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion());
        System.out.println("Engine.getGpuCount() " + engine.getGpuCount());
        System.out.println("default device " + engine.defaultDevice());
        System.out.println("RunSize.current() " + RunSize.current());
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 4096;
            NDArray a = m.randomNormal(new Shape(n, n));
            System.out.println("array device " + a.getDevice());
            a.matMul(a).sum().getFloat();
            long t = System.nanoTime();
            int reps = 20;
            float s = 0;
            for (int i = 0; i < reps; i++) {
                s += a.matMul(a).sum().getFloat();
            }
            double sec = (System.nanoTime() - t) / 1e9;
            System.out.printf("fp32 %d^3 matmul: %.2f ms each, %.1f TFLOP/s (incl. sum+sync)%n",
                    n, 1e3 * sec / reps, 2.0 * n * n * n * reps / sec / 1e12);
        }
    }
}
