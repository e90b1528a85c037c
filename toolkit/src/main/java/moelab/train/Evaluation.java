package moelab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Metrics of a model on a dataset, in inference mode (no gate noise, no dropout).
 *
 * <p>Classifiers (logits {@code (B, K)}, labels {@code (B)}): mean cross-entropy {@link #loss()}
 * and top-1 {@link #accuracy()}. Language models (logits {@code (B, T, V)}, labels {@code (B, T)}):
 * mean cross-entropy per token in nats, {@link #bitsPerCharacter()} {@code = loss / ln 2} (bits per
 * token, which is bits per character for the character-level corpora used here) and {@link
 * #perplexity()} {@code = exp(loss)}; accuracy is next-token accuracy.
 *
 * @param examples examples evaluated
 * @param positions predictions scored: {@code examples} for a classifier, {@code examples · T} for
 *     a language model
 * @param loss mean cross-entropy per position, nats
 * @param accuracy fraction of positions whose arg-max is the label
 * @param languageModel whether the logits were per token {@code (B, T, V)}
 */
public record Evaluation(long examples, long positions, double loss, double accuracy,
                         boolean languageModel) {

    /** {@code loss / ln 2} for language models, NaN for classifiers. */
    public double bitsPerCharacter() {
        return languageModel ? loss / Math.log(2) : Double.NaN;
    }

    /** {@code exp(loss)} for language models, NaN for classifiers. */
    public double perplexity() {
        return languageModel ? Math.exp(loss) : Double.NaN;
    }

    /**
     * Evaluates a model on a whole dataset, in order.
     *
     * @param model an initialised block mapping a batch's data to logits
     * @param data the split to evaluate; a {@link RandomAccessDataset} is read in batches of
     *     {@code batchSize}, any other dataset in its own batches
     * @param batchSize examples per forward pass
     * @param manager where batches are created (its device is the model's)
     * @throws IllegalArgumentException when the dataset is empty
     */
    public static Evaluation run(Block model, Dataset data, int batchSize, NDManager manager) {
        MoeObjective objective = new MoeObjective(model, 0);
        double lossSum = 0;
        long correct = 0;
        long positions = 0;
        long examples = 0;
        boolean languageModel = false;
        try (NDManager evalManager = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(evalManager, false);
            Iterable<Batch> batches = data instanceof RandomAccessDataset
                    ? ((RandomAccessDataset) data).getData(evalManager,
                            new BatchSampler(new SequenceSampler(), batchSize, false))
                    : data.getData(evalManager);
            for (Batch batch : batches) {
                try (batch; NDManager step = evalManager.newSubManager();
                        NDScope scope = new NDScope()) { // frees what the forward pass made
                    scope.suppressNotUsedWarning();
                    NDList inputs = batch.getData().toDevice(manager.getDevice(), false);
                    NDArray labels = batch.getLabels().head().toDevice(manager.getDevice(), false);
                    inputs.attach(step);
                    labels.attach(step);
                    NDArray logits = model.forward(store, inputs, false).head();
                    logits.attach(step);
                    languageModel = logits.getShape().dimension() == 3;
                    long n = labels.size();
                    NDArray loss = objective.taskLoss(logits, labels);
                    lossSum += loss.getFloat() * n;
                    NDArray predicted = logits.argMax(-1).toType(DataType.INT64, false);
                    correct += predicted.eq(labels.toType(DataType.INT64, false)).sum().getLong();
                    positions += n;
                    examples += labels.getShape().get(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the evaluation data", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot batch the evaluation data: " + e.getMessage(), e);
        }
        if (positions == 0) {
            throw new IllegalArgumentException("the evaluation dataset is empty");
        }
        return new Evaluation(examples, positions, lossSum / positions, (double) correct / positions,
                languageModel);
    }

    @Override
    public String toString() {
        return languageModel
                ? String.format(java.util.Locale.ROOT,
                        "loss %.4f  bpc %.4f  perplexity %.3f  next-token accuracy %.4f  (%d examples)",
                        loss, bitsPerCharacter(), perplexity(), accuracy, examples)
                : String.format(java.util.Locale.ROOT, "loss %.4f  accuracy %.4f  (%d examples)",
                        loss, accuracy, examples);
    }
}
