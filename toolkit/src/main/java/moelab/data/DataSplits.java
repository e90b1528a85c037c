package moelab.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;

import java.util.List;
import java.util.Optional;

/**
 * A dataset ready for training: its splits as DJL datasets and what a model needs to know.
 *
 * <p>Image datasets without a separate validation set (Fashion-MNIST, CIFAR) use their test set as
 * {@code validation} and {@code test} alike.
 *
 * @param name the registry name, e.g. "cifar10"
 * @param task image classification or language modelling
 * @param train training split: augmented images, or windows at random offsets
 * @param validation validation split, never augmented, sequential windows for text
 * @param test test split
 * @param exampleShape shape of one input: (C, H, W) for images, (T) for text
 * @param numClasses classes, or vocabulary size V for language modelling
 * @param classNames class names by label; empty for text
 * @param vocabulary the vocabulary, for text
 * @param summary a one-line description with sizes
 */
public record DataSplits(
        String name,
        Task task,
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        Shape exampleShape,
        int numClasses,
        List<String> classNames,
        Optional<Vocabulary> vocabulary,
        String summary) {

    /** What the labels mean. */
    public enum Task {
        /** Labels (B) are class indices. */
        IMAGE_CLASSIFICATION,
        /** Labels (B, T) are the next token ids. */
        LANGUAGE_MODELLING
    }
}
