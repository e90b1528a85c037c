package moelab.models;

import ai.djl.ndarray.types.Shape;

/**
 * The language-model part of a config: token ids in, next-token logits out, through {@code N}
 * blocks of width {@code d}.
 *
 * @param vocabSize {@code V}
 * @param contextLength {@code T}, the longest sequence (the size of gMLP's and sMoE's
 *     {@code (T, T)} matrices and of the Transformer's position table)
 * @param width {@code d}
 * @param hidden the feed-forward width: gMLP's {@code d_ffn}, the Transformer's FFN width, each
 *     expert's hidden width in tMoE / MoE FFN layers
 * @param blocks {@code N}, blocks in all
 * @param tiedEmbeddings whether the output layer is the transposed token embedding
 */
public record LmPart(int vocabSize, int contextLength, int width, int hidden, int blocks,
        boolean tiedEmbeddings) {

    /** Checks the values. */
    public LmPart {
        Checks.require(vocabSize >= 1, "lm.vocab-size", vocabSize, "must be >= 1");
        Checks.require(contextLength >= 1, "lm.context-length", contextLength, "must be >= 1");
        Checks.require(width >= 1, "lm.width", width, "must be >= 1");
        Checks.require(hidden >= 1, "lm.hidden", hidden, "must be >= 1");
        Checks.require(blocks >= 1, "lm.blocks", blocks, "must be >= 1");
    }

    /** This part with feed-forward width {@code hidden}. */
    public LmPart withHidden(int hidden) {
        return new LmPart(vocabSize, contextLength, width, hidden, blocks, tiedEmbeddings);
    }

    /** A batch of {@code B} sequences of token ids, {@code (B, contextLength)}. */
    public Shape inputShape(long batch) {
        return new Shape(batch, contextLength);
    }
}
