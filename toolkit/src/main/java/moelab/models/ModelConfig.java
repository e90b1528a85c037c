package moelab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import moelab.moe.MoeLayer;

/**
 * Everything needed to build one of moelab's models and to count its parameters and FLOPs without
 * building it. Named configurations ({@code mixer-tiny}, {@code sparse-mlp-b16},
 * {@code smlp-lm-tiny}, ...) come from {@link #byName}; variants from {@link #toBuilder()}.
 *
 * <pre>{@code
 * ModelConfig config = ModelConfig.byName("sparse-mlp-tiny");
 * Block model = config.build();                     // a DJL block, not yet initialised
 * model.initialize(manager, DataType.FLOAT32, config.inputShape(32));
 * Cost cost = config.cost();                        // parameters, active parameters, FLOPs
 * }</pre>
 *
 * <p>Field meanings by family ({@code C} = {@link #width()}):
 *
 * <ul>
 *   <li>image models ({@link Family#MIXER}, {@link Family#SPARSE_MLP}): input
 *       {@code (B, imageChannels, imageSize, imageSize)}, {@code S = (imageSize / patchSize)²}
 *       patches of {@code C} channels, token-mixing hidden {@code D_S = tokenMixingHidden},
 *       channel-mixing hidden {@code D_C = channelMixingHidden}; output {@code (B, numClasses)}
 *       logits;
 *   <li>language models ({@link Family#GMLP}, {@link Family#SMLP}, {@link Family#TRANSFORMER},
 *       {@link Family#TRANSFORMER_MOE}): input {@code (B, T)} token ids, {@code T <=
 *       contextLength}; output {@code (B, T, vocabSize)} next-token logits. {@code
 *       channelMixingHidden} is gMLP's {@code d_ffn}, the Transformer's FFN width, and each
 *       expert's hidden width in tMoE / Transformer-MoE layers;
 *   <li>the last {@link #numSparseBlocks()} of the {@link #numBlocks()} blocks are sparse. Expert
 *       counts: {@code tokenMixingExperts} for token mixing (Sparse-MLP's {@code MoE_s}, sMLP's
 *       sMoE), {@code channelMixingExperts} for feature mixing (Sparse-MLP's {@code MoE_c}, sMLP's
 *       tMoE, Transformer-MoE's FFN). An expert count of 0 in a routed slot puts the dense layer
 *       there (the same architecture without experts, for ablations and equivalence tests).
 * </ul>
 */
public final class ModelConfig {

    /** The model families. */
    public enum Family {
        /** MLP-Mixer (Tolstikhin et al. 2021), {@link MlpMixer}. */
        MIXER(false),
        /** Sparse-MLP (Lou et al. 2021), {@link SparseMlp}. */
        SPARSE_MLP(false),
        /** gMLP causal language model (Liu et al. 2021), {@link Gmlp}. */
        GMLP(true),
        /** sMLP, sparse all-MLP language model (Yu et al. 2022), {@link SparseAllMlp}. */
        SMLP(true),
        /** Dense causal Transformer language model, {@link Transformer}. */
        TRANSFORMER(true),
        /** Transformer whose last FFNs are MoE layers (Switch, GShard, BASE, HASH), {@link TransformerMoe}. */
        TRANSFORMER_MOE(true);

        private final boolean languageModel;

        Family(boolean languageModel) {
            this.languageModel = languageModel;
        }

        /** Whether models of this family map token ids to next-token logits. */
        public boolean isLanguageModel() {
            return languageModel;
        }
    }

    private final String name;
    private final Family family;
    private final int imageSize;
    private final int imageChannels;
    private final int patchSize;
    private final int numClasses;
    private final int vocabSize;
    private final int contextLength;
    private final int width;
    private final int tokenMixingHidden;
    private final int channelMixingHidden;
    private final int numBlocks;
    private final int numSparseBlocks;
    private final int tokenMixingExperts;
    private final int channelMixingExperts;
    private final int topK;
    private final double capacityFactor;
    private final RouterKind router;
    private final double auxLossWeight;
    private final boolean channelMoeInside;
    private final boolean reRepresentation;
    private final int numHeads;
    private final boolean tiedEmbeddings;

    private ModelConfig(Builder b) {
        name = b.name;
        family = b.family;
        imageSize = b.imageSize;
        imageChannels = b.imageChannels;
        patchSize = b.patchSize;
        numClasses = b.numClasses;
        vocabSize = b.vocabSize;
        contextLength = b.contextLength;
        width = b.width;
        tokenMixingHidden = b.tokenMixingHidden;
        channelMixingHidden = b.channelMixingHidden;
        numBlocks = b.numBlocks;
        numSparseBlocks = b.numSparseBlocks;
        tokenMixingExperts = b.tokenMixingExperts;
        channelMixingExperts = b.channelMixingExperts;
        topK = b.topK;
        capacityFactor = b.capacityFactor;
        router = b.router;
        auxLossWeight = b.auxLossWeight;
        channelMoeInside = b.channelMoeInside;
        reRepresentation = b.reRepresentation;
        numHeads = b.numHeads;
        tiedEmbeddings = b.tiedEmbeddings;
    }

    /** The named configuration {@code name}; see {@link #names()}. */
    public static ModelConfig byName(String name) {
        return NamedConfigs.get(name);
    }

    /** Every named configuration, in a stable order (images first, then language models). */
    public static List<String> names() {
        return NamedConfigs.names();
    }

    /** Starts a configuration of {@code family} with that family's small defaults. */
    public static Builder builder(Family family) {
        return new Builder(family);
    }

    /** A builder holding this configuration's values, for variants. */
    public Builder toBuilder() {
        Builder b = new Builder(family);
        b.name = name;
        b.imageSize = imageSize;
        b.imageChannels = imageChannels;
        b.patchSize = patchSize;
        b.numClasses = numClasses;
        b.vocabSize = vocabSize;
        b.contextLength = contextLength;
        b.width = width;
        b.tokenMixingHidden = tokenMixingHidden;
        b.channelMixingHidden = channelMixingHidden;
        b.numBlocks = numBlocks;
        b.numSparseBlocks = numSparseBlocks;
        b.tokenMixingExperts = tokenMixingExperts;
        b.channelMixingExperts = channelMixingExperts;
        b.topK = topK;
        b.capacityFactor = capacityFactor;
        b.router = router;
        b.auxLossWeight = auxLossWeight;
        b.channelMoeInside = channelMoeInside;
        b.reRepresentation = reRepresentation;
        b.numHeads = numHeads;
        b.tiedEmbeddings = tiedEmbeddings;
        return b;
    }

    /** Builds the model (a DJL block; initialise it with {@link #inputShape}). */
    public Block build() {
        return switch (family) {
            case MIXER -> new MlpMixer(this);
            case SPARSE_MLP -> new SparseMlp(this);
            case GMLP -> new Gmlp(this);
            case SMLP -> new SparseAllMlp(this);
            case TRANSFORMER -> new Transformer(this);
            case TRANSFORMER_MOE -> new TransformerMoe(this);
        };
    }

    /** Parameters, active parameters and FLOPs per example (image or token), worked out analytically. */
    public Cost cost() {
        return switch (family) {
            case MIXER, SPARSE_MLP -> MlpMixer.cost(this);
            case GMLP, SMLP -> Gmlp.cost(this);
            case TRANSFORMER, TRANSFORMER_MOE -> Transformer.cost(this);
        };
    }

    /** All trainable parameters. */
    public long parameterCount() {
        return cost().parameters();
    }

    /** Parameters used per item: experts not routed to are left out. */
    public long activeParameterCount() {
        return cost().activeParameters();
    }

    /** FLOPs per image, or per token for language models (see {@link Cost}). */
    public long flopsPerExample() {
        return cost().flops();
    }

    /**
     * Shape of a batch of {@code batch} inputs: {@code (B, channels, size, size)} images or
     * {@code (B, contextLength)} token ids.
     */
    public Shape inputShape(long batch) {
        return family.isLanguageModel()
                ? new Shape(batch, contextLength)
                : new Shape(batch, imageChannels, imageSize, imageSize);
    }

    /** Logits per example: {@code numClasses}, or {@code vocabSize} per position. */
    public int outputSize() {
        return family.isLanguageModel() ? vocabSize : numClasses;
    }

    /** Number of patches {@code S = (imageSize / patchSize)²} (image models). */
    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    /** Sparse blocks the model actually has: {@link #numSparseBlocks()} for sparse families, else 0. */
    public int sparseBlockCount() {
        return switch (family) {
            case SPARSE_MLP, SMLP, TRANSFORMER_MOE -> numSparseBlocks;
            case MIXER, GMLP, TRANSFORMER -> 0;
        };
    }

    /**
     * An MoE layer of {@code experts} expert MLPs {@code d → h → d} with this configuration's
     * router, capacity factor, {@code K} and auxiliary loss.
     */
    MoeLayer moeLayer(int experts, int d, int h) {
        return MoeLayer.builder().setNumExperts(experts).setModelDim(d).setHiddenDim(h)
                .setRouter(router.create(topK, capacityFactor))
                .optAuxLoss(router.auxLoss(auxLossWeight))
                .build();
    }

    /** Experts per routed item ({@code K} for importance-score routing, 1 or 2 for the others). */
    int expertsPerItem(int experts) {
        return Math.min(router.expertsPerItem(topK), experts);
    }

    /** The configuration's name (the named config it came from, or a custom label). */
    public String name() {
        return name;
    }

    /** The model family. */
    public Family family() {
        return family;
    }

    /** Image height and width in pixels. */
    public int imageSize() {
        return imageSize;
    }

    /** Image colour channels. */
    public int imageChannels() {
        return imageChannels;
    }

    /** Patch side {@code P}. */
    public int patchSize() {
        return patchSize;
    }

    /** Image classes. */
    public int numClasses() {
        return numClasses;
    }

    /** Vocabulary size {@code V}. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Longest sequence {@code T} a language model takes. */
    public int contextLength() {
        return contextLength;
    }

    /** Channels {@code C} (images) or model width {@code d} (language models). */
    public int width() {
        return width;
    }

    /** Token-mixing hidden width {@code D_S} (image models). */
    public int tokenMixingHidden() {
        return tokenMixingHidden;
    }

    /** Channel-mixing hidden width: {@code D_C}, gMLP's {@code d_ffn}, FFN or expert width. */
    public int channelMixingHidden() {
        return channelMixingHidden;
    }

    /** Blocks in all. */
    public int numBlocks() {
        return numBlocks;
    }

    /** Sparse blocks (the last ones). */
    public int numSparseBlocks() {
        return numSparseBlocks;
    }

    /** Experts of token-mixing MoE layers ({@code MoE_s}, sMoE); 0 for dense. */
    public int tokenMixingExperts() {
        return tokenMixingExperts;
    }

    /** Experts of channel/feature-mixing MoE layers ({@code MoE_c}, tMoE, MoE FFN); 0 for dense. */
    public int channelMixingExperts() {
        return channelMixingExperts;
    }

    /** {@code K}, experts per item for {@link RouterKind#BATCH_PRIORITY}. */
    public int topK() {
        return topK;
    }

    /** Capacity factor of the routers; {@code <= 0} means no dropping. */
    public double capacityFactor() {
        return capacityFactor;
    }

    /** The router of the routed MoE layers. */
    public RouterKind router() {
        return router;
    }

    /** {@code λ}, the weight of each MoE layer's auxiliary loss. */
    public double auxLossWeight() {
        return auxLossWeight;
    }

    /** Sparse-MLP: whether {@code MoE_c} runs on the re-represented {@code (2S, C/2)} grid. */
    public boolean channelMoeInside() {
        return channelMoeInside;
    }

    /**
     * Sparse-MLP: whether a sparse block re-represents its {@code (S, C)} grid as {@code (2S, C/2)}
     * around {@code MoE_s} (the paper's design, the default); false for the ablation without
     * re-representation layers, where {@code MoE_s} routes the {@code C} channel columns of length
     * {@code S} directly.
     */
    public boolean reRepresentation() {
        return reRepresentation;
    }

    /** Attention heads (Transformers). */
    public int numHeads() {
        return numHeads;
    }

    /** Whether a language model's output layer reuses the token embedding. */
    public boolean tiedEmbeddings() {
        return tiedEmbeddings;
    }

    @Override
    public String toString() {
        return name + " (" + family + ")";
    }

    /**
     * Builder. Every field has a small default, so only what differs needs setting; {@link #build}
     * checks that the shapes fit together.
     */
    public static final class Builder {
        private Family family;
        private String name;
        private int imageSize = 28;
        private int imageChannels = 1;
        private int patchSize = 4;
        private int numClasses = 10;
        private int vocabSize = 256;
        private int contextLength = 64;
        private int width = 64;
        private int tokenMixingHidden = 64;
        private int channelMixingHidden = 256;
        private int numBlocks = 4;
        private int numSparseBlocks;
        private int tokenMixingExperts = 4;
        private int channelMixingExperts = 4;
        private int topK = 1;
        private double capacityFactor;
        private RouterKind router;
        private double auxLossWeight = 0.01;
        private boolean channelMoeInside;
        private boolean reRepresentation = true;
        private int numHeads = 4;
        private boolean tiedEmbeddings = true;

        private Builder(Family family) {
            this.family = family;
            name = family.name().toLowerCase().replace('_', '-') + "-custom";
            switch (family) {
                case SPARSE_MLP -> {
                    numSparseBlocks = 2;
                    router = RouterKind.BATCH_PRIORITY;
                    capacityFactor = 1.25;
                }
                case SMLP -> {
                    numSparseBlocks = 2;
                    router = RouterKind.BASE;
                }
                case TRANSFORMER_MOE -> {
                    numSparseBlocks = 2;
                    router = RouterKind.SWITCH;
                }
                default -> router = RouterKind.SWITCH;
            }
        }

        /** Changes the family, keeping every other value (for variants of one architecture). */
        public Builder optFamily(Family family) {
            this.family = family;
            return this;
        }

        /** A label for tables and logs. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Image side in pixels (square images). */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** Image colour channels. */
        public Builder optImageChannels(int imageChannels) {
            this.imageChannels = imageChannels;
            return this;
        }

        /** Patch side {@code P}; must divide the image side. */
        public Builder optPatchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        /** Image classes. */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Vocabulary size {@code V}. */
        public Builder optVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Longest sequence {@code T}. */
        public Builder optContextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /** Channels {@code C} or model width {@code d}. */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /** Token-mixing hidden width {@code D_S}. */
        public Builder optTokenMixingHidden(int tokenMixingHidden) {
            this.tokenMixingHidden = tokenMixingHidden;
            return this;
        }

        /** Channel-mixing hidden width ({@code D_C}, {@code d_ffn}, FFN or expert width). */
        public Builder optChannelMixingHidden(int channelMixingHidden) {
            this.channelMixingHidden = channelMixingHidden;
            return this;
        }

        /** Blocks in all. */
        public Builder optNumBlocks(int numBlocks) {
            this.numBlocks = numBlocks;
            return this;
        }

        /** How many of the last blocks are sparse. */
        public Builder optNumSparseBlocks(int numSparseBlocks) {
            this.numSparseBlocks = numSparseBlocks;
            return this;
        }

        /** Experts of token-mixing MoE layers; 0 for the dense layer. */
        public Builder optTokenMixingExperts(int tokenMixingExperts) {
            this.tokenMixingExperts = tokenMixingExperts;
            return this;
        }

        /** Experts of channel/feature-mixing MoE layers; 0 for the dense layer. */
        public Builder optChannelMixingExperts(int channelMixingExperts) {
            this.channelMixingExperts = channelMixingExperts;
            return this;
        }

        /** {@code K} for importance-score (batch priority) routing. */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Capacity factor; {@code <= 0} for no dropping. */
        public Builder optCapacityFactor(double capacityFactor) {
            this.capacityFactor = capacityFactor;
            return this;
        }

        /** The router of the routed MoE layers. */
        public Builder optRouter(RouterKind router) {
            this.router = router;
            return this;
        }

        /** {@code λ} of each MoE layer's auxiliary loss. */
        public Builder optAuxLossWeight(double auxLossWeight) {
            this.auxLossWeight = auxLossWeight;
            return this;
        }

        /** Sparse-MLP: run {@code MoE_c} on the re-represented grid. */
        public Builder optChannelMoeInside(boolean channelMoeInside) {
            this.channelMoeInside = channelMoeInside;
            return this;
        }

        /**
         * Sparse-MLP: false drops the re-representation layers (an ablation): {@code MoE_s} and
         * {@code MoE_c} then act on the {@code (S, C)} grid itself.
         */
        public Builder optReRepresentation(boolean reRepresentation) {
            this.reRepresentation = reRepresentation;
            return this;
        }

        /** Attention heads. */
        public Builder optNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /** Whether the output layer reuses the token embedding. */
        public Builder optTiedEmbeddings(boolean tiedEmbeddings) {
            this.tiedEmbeddings = tiedEmbeddings;
            return this;
        }

        /** Checks and builds the configuration. */
        public ModelConfig build() {
            require(width >= 1 && numBlocks >= 1 && channelMixingHidden >= 1,
                    "width, numBlocks and channelMixingHidden must be >= 1");
            require(numSparseBlocks >= 0 && numSparseBlocks <= numBlocks,
                    "numSparseBlocks must be in [0, numBlocks=" + numBlocks + "]");
            require(tokenMixingExperts >= 0 && channelMixingExperts >= 0,
                    "expert counts must be >= 0");
            if (family.isLanguageModel()) {
                require(vocabSize >= 1 && contextLength >= 1, "vocabSize, contextLength >= 1");
            } else {
                require(patchSize >= 1 && imageSize % patchSize == 0,
                        "patch size " + patchSize + " must divide image size " + imageSize);
                require(tokenMixingHidden >= 1, "tokenMixingHidden >= 1");
            }
            switch (family) {
                case SPARSE_MLP -> {
                    require(!reRepresentation || width % 2 == 0,
                            "Sparse-MLP re-represents C as C/2: width must be even");
                    require(topK >= 1 && (tokenMixingExperts == 0 || topK <= tokenMixingExperts)
                                    && (channelMixingExperts == 0 || topK <= channelMixingExperts),
                            "topK must be in [1, experts]");
                }
                case SMLP -> require(tokenMixingExperts >= 1 && width % tokenMixingExperts == 0,
                        "sMoE splits d=" + width + " into tokenMixingExperts equal chunks");
                case TRANSFORMER, TRANSFORMER_MOE -> require(numHeads >= 1 && width % numHeads == 0,
                        "numHeads must divide width");
                default -> { }
            }
            if (router == RouterKind.GSHARD && channelMixingExperts > 0) {
                require(channelMixingExperts >= 2, "GShard top-2 routing needs >= 2 experts");
            }
            return new ModelConfig(this);
        }

        private void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(name + ": " + message);
            }
        }
    }
}
