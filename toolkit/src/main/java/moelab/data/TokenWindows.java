package moelab.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Progress;

/**
 * Next-token prediction windows over a token sequence, for language models.
 *
 * <p>Example i is a window of T tokens starting at offset o_i: input ids {@code tokens[o_i ..
 * o_i+T-1]} and targets {@code tokens[o_i+1 .. o_i+T]}, the same window shifted by one. There are
 * {@code floor((n - 1) / T)} examples, so one epoch sees about every token once.
 *
 * <ul>
 *   <li>evaluation ({@code optRandomOffsets(false)}, the default): o_i = i·T, sequential,
 *       non-overlapping windows that tile the text;
 *   <li>training ({@code optRandomOffsets(true)}): o_i uniform in 0..n-T-1, drawn from (seed,
 *       epoch, i) only, see {@link ExampleRandom}; each {@code getData} call starts a new epoch.
 * </ul>
 *
 * <p>Batches: data int32 (B, T) input ids, labels int32 (B, T) targets; {@link #get} returns (T)
 * and (T).
 */
public final class TokenWindows extends IndexedDataset {

    private final TokenSequence tokens;
    private final int sequenceLength;
    private final boolean randomOffsets;
    private final long seed;

    private TokenWindows(Builder builder) {
        super(builder);
        this.tokens = builder.tokens;
        this.sequenceLength = builder.sequenceLength;
        this.randomOffsets = builder.randomOffsets;
        this.seed = builder.seed;
    }

    /**
     * Returns a builder; {@code setTokens}, {@code setSequenceLength} and {@code setSampling} are
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void prepare(Progress progress) {}

    @Override
    protected long availableSize() {
        return (tokens.length() - 1) / sequenceLength;
    }

    /**
     * Returns where window i starts in the current epoch.
     *
     * @param index the example's index
     * @return o_i, the position of its first input token
     */
    public int offset(long index) {
        checkIndex(index);
        if (randomOffsets) {
            return ExampleRandom.of(seed, epoch(), index)
                    .nextInt(tokens.length() - sequenceLength);
        }
        return (int) index * sequenceLength;
    }

    @Override
    public Batch getByIndices(NDManager manager, long... indices) {
        int t = sequenceLength;
        int[] inputs = new int[indices.length * t];
        int[] targets = new int[indices.length * t];
        for (int b = 0; b < indices.length; b++) {
            int offset = offset(indices[b]);
            tokens.copy(offset, inputs, b * t, t);
            tokens.copy(offset + 1, targets, b * t, t);
        }
        Shape shape = new Shape(indices.length, t);
        return batch(manager, manager.create(inputs, shape), manager.create(targets, shape),
                indices.length);
    }

    /**
     * Returns the window length.
     *
     * @return T
     */
    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * Returns the underlying tokens.
     *
     * @return the token sequence the windows are cut from
     */
    public TokenSequence tokens() {
        return tokens;
    }

    /** Builder for {@link TokenWindows}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private TokenSequence tokens;
        private int sequenceLength;
        private boolean randomOffsets;
        private long seed = 42;

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the tokens to cut windows from.
         *
         * @param tokens at least T + 1 tokens
         * @return this builder
         */
        public Builder setTokens(TokenSequence tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * Sets the window length T.
         *
         * @param sequenceLength T, positive
         * @return this builder
         */
        public Builder setSequenceLength(int sequenceLength) {
            this.sequenceLength = sequenceLength;
            return this;
        }

        /**
         * Chooses random window offsets (training) or sequential ones (evaluation, default).
         *
         * @param randomOffsets true for training
         * @return this builder
         */
        public Builder optRandomOffsets(boolean randomOffsets) {
            this.randomOffsets = randomOffsets;
            return this;
        }

        /**
         * Sets the seed of the random offsets (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the windows
         * @throws IllegalArgumentException when the tokens are fewer than T + 1
         */
        public TokenWindows build() {
            if (tokens == null || sequenceLength <= 0) {
                throw new IllegalArgumentException("setTokens and a positive setSequenceLength are required");
            }
            if (tokens.length() < sequenceLength + 1) {
                throw new IllegalArgumentException(
                        "a window needs T + 1 = " + (sequenceLength + 1) + " tokens but the text has only "
                                + tokens.length());
            }
            return new TokenWindows(this);
        }
    }
}
