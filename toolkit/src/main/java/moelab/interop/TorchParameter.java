package moelab.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * One moelab parameter under its PyTorch name, with the change of layout between the two.
 *
 * @param name the PyTorch {@code state_dict} key, e.g. {@code blocks.2.moe_c.experts.w1}
 * @param parameter the moelab parameter
 * @param layout how the PyTorch tensor's layout differs from the moelab array's
 */
public record TorchParameter(String name, Parameter parameter, Layout layout) {

    /** How a tensor is laid out in PyTorch compared with moelab. */
    public enum Layout {
        /** The same shape and order. */
        SAME,
        /**
         * A 2-d matrix transposed: moelab's gate {@code W_g (d, E)} multiplies {@code x W_g}, a
         * PyTorch {@code nn.Linear(d, E, bias=False)} holds {@code weight (E, d)}.
         */
        TRANSPOSED,
        /** The size-1 middle axis dropped: expert biases {@code (E, 1, h)} become {@code (E, h)}. */
        SQUEEZED;

        /** The PyTorch shape of a moelab array of {@code shape}. */
        public Shape torchShape(Shape shape) {
            return switch (this) {
                case SAME -> shape;
                case TRANSPOSED -> new Shape(shape.get(1), shape.get(0));
                case SQUEEZED -> new Shape(shape.get(0), shape.get(2));
            };
        }

        /** The PyTorch tensor's values for a moelab array. */
        public NDArray toTorch(NDArray array) {
            return switch (this) {
                case SAME -> array;
                case TRANSPOSED -> array.transpose();
                case SQUEEZED -> array.squeeze(1);
            };
        }

        /** The moelab array of {@code shape} holding a PyTorch tensor's values. */
        public NDArray fromTorch(NDArray tensor, Shape shape) {
            return switch (this) {
                case SAME -> tensor;
                case TRANSPOSED -> tensor.transpose();
                case SQUEEZED -> tensor.reshape(shape);
            };
        }
    }

    /** The moelab shape of the parameter (it must be initialised). */
    public Shape moelabShape() {
        return parameter.getArray().getShape();
    }

    /** The shape of the PyTorch tensor. */
    public Shape torchShape() {
        return layout.torchShape(moelabShape());
    }

    /** The parameter's values in PyTorch layout, ready to store. */
    public StoredTensor toStored() {
        NDArray array = parameter.getArray();
        NDArray torch = layout.toTorch(array);
        try {
            return StoredTensor.of(name, torch);
        } finally {
            if (torch != array) {
                torch.close(); // a transposed or squeezed copy, not the parameter
            }
        }
    }
}
