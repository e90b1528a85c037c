package moelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.dataset.ArrayDataset;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void bitsPerCharacterIsLossOverLn2AndPerplexityIsExpLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // An LM that always predicts uniformly over V = 4 symbols: loss ln 4, 2 bits, ppl 4.
            LambdaBlock uniform = new LambdaBlock(in -> {
                Shape s = in.head().getShape();
                return new NDList(in.head().getManager().zeros(new Shape(s.get(0), s.get(1), 4)));
            });
            NDArray ids = manager.zeros(new Shape(6, 5), DataType.INT32);
            NDArray next = manager.create(new int[30], new Shape(6, 5));
            ArrayDataset data = new ArrayDataset.Builder().setData(ids).optLabels(next)
                    .setSampling(4, false).build();
            uniform.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
            Evaluation e = Evaluation.run(uniform, data, 4, manager);
            assertThat(e.languageModel()).isTrue();
            assertThat(e.examples()).isEqualTo(6); // 4 + a last batch of 2
            assertThat(e.positions()).isEqualTo(30);
            assertThat(e.loss()).isCloseTo(Math.log(4), within(1e-6));
            assertThat(e.bitsPerCharacter()).isCloseTo(e.loss() / Math.log(2), within(1e-12));
            assertThat(e.bitsPerCharacter()).isCloseTo(2.0, within(1e-6));
            assertThat(e.perplexity()).isCloseTo(4.0, within(1e-5));
        }
    }

    @Test
    void classifierAccuracyCountsArgMaxHits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // The "model" returns its input as logits: rows (9,0,0) (0,9,0) (0,0,9) (9,0,0).
            LambdaBlock identity = new LambdaBlock(in -> in);
            NDArray logits = manager.create(new float[] {9, 0, 0, 0, 9, 0, 0, 0, 9, 9, 0, 0},
                    new Shape(4, 3));
            NDArray labels = manager.create(new int[] {0, 1, 2, 2}); // last one wrong
            ArrayDataset data = new ArrayDataset.Builder().setData(logits).optLabels(labels)
                    .setSampling(3, false).build();
            identity.initialize(manager, DataType.FLOAT32, new Shape(3, 3));
            Evaluation e = Evaluation.run(identity, data, 3, manager);
            assertThat(e.languageModel()).isFalse();
            assertThat(e.accuracy()).isEqualTo(0.75);
            assertThat(e.bitsPerCharacter()).isNaN();
            double right = Math.log(1 + 2 * Math.exp(-9));
            double wrong = Math.log(Math.exp(9) + 2) ; // −log softmax of a 0 logit
            assertThat(e.loss()).isCloseTo((3 * right + wrong) / 4, within(1e-5));
        }
    }
}
