package moelab.models;

import ai.djl.nn.AbstractBlock;

/**
 * A moelab model or block that reports its own size and compute, worked out from the children it
 * built (the same fields its constructor used), so that construction and cost cannot disagree.
 */
public abstract class CostedBlock extends AbstractBlock {

    /** Parameters, active parameters and FLOPs per example (image, or token for language models). */
    public abstract Cost cost();
}
