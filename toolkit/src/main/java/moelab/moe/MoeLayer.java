package moelab.moe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import moelab.experts.Experts;
import moelab.routing.Router;
import moelab.routing.Routing;

/**
 * A sparse Mixture-of-Experts layer in four visible steps:
 *
 * <ol>
 *   <li><b>route</b>: router logits {@code W_g x}, {@code (T, E)}, turned into a {@link Routing}
 *       by the {@link Router};
 *   <li><b>dispatch</b>: items gathered into expert buffers {@code (E, C, d)} ({@link Dispatch});
 *   <li><b>experts</b>: all E expert MLPs run at once by batched matmul ({@link Experts});
 *   <li><b>combine</b>: outputs gathered back and weighted by the router ({@link Combine}).
 * </ol>
 *
 * <p>With {@link ExpertExecution#SORTED} steps 2–4 run as {@link SortedExperts} instead: each
 * expert multiplies only the rows that hold its tokens, no padded buffers (same outputs).
 *
 * <p>Input {@code (..., d)}: every leading position is one routed item; an optional second input
 * holds the token ids (same leading shape) for {@link moelab.routing.HashRouter}. Output has the
 * input's shape. Dropped items come out as zeros; the residual around the layer carries them.
 * Each call adds its routing and aux loss to the open {@link AuxLosses} record.
 */
public final class MoeLayer extends AbstractBlock implements MoeBlock {

    private final int numExperts;
    private final int modelDim;
    private final Router router;
    private final AuxLoss auxLoss;
    private final Parameter gate;
    private final Experts experts;
    private final ExpertExecution execution;
    private Routing lastRouting;
    private NDArray lastAuxLoss;

    private MoeLayer(Builder builder) {
        numExperts = builder.numExperts;
        modelDim = builder.modelDim;
        router = builder.router;
        auxLoss = builder.auxLoss;
        execution = builder.execution;
        gate = addParameter(Parameter.builder()
                .setName("gate")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(modelDim, numExperts))
                .optInitializer(new NormalInitializer((float) Math.sqrt(1.0 / modelDim)))
                .build());
        experts = addChildBlock("experts", new Experts(numExperts, modelDim, builder.hiddenDim));
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        Shape shape = x.getShape();
        if (shape.get(shape.dimension() - 1) != modelDim) {
            throw new IllegalArgumentException(
                    "MoE layer of width d=" + modelDim + " got input " + shape);
        }
        NDArray tokenIds = inputs.size() > 1 ? inputs.get(1).reshape(-1) : null;
        Device device = x.getDevice();
        NDArray items = x.reshape(-1, modelDim); // (T, d)

        NDArray logits = items.matMul(store.getValue(gate, device, training)); // (T, E)
        Routing routing = router.route(logits, tokenIds, training);
        NDArray combined; // (T, d)
        if (execution == ExpertExecution.SORTED) {
            combined = SortedExperts.apply(items, routing, experts, store, training);
        } else {
            NDArray buffers = Dispatch.apply(items, routing); // (E, C, d)
            NDArray outputs = experts.forward(store, new NDList(buffers), training).head();
            combined = Combine.apply(outputs, routing); // (E, C, d) -> (T, d)
        }

        lastRouting = routing;
        lastAuxLoss = auxLoss.compute(routing);
        AuxLosses.add(this, routing, lastAuxLoss);
        return new NDList(combined.reshape(shape));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        experts.initialize(manager, dataType, new Shape(numExperts, 1, modelDim));
    }

    @Override
    public Routing lastRouting() {
        return lastRouting;
    }

    @Override
    public NDArray lastAuxLoss() {
        return lastAuxLoss;
    }

    /** The router turning logits into a routing. */
    public Router router() {
        return router;
    }

    /** The batched expert MLPs. */
    public Experts experts() {
        return experts;
    }

    /** How the experts run: padded buffers or sorted slices. */
    public ExpertExecution execution() {
        return execution;
    }

    /** The gate weight {@code W_g}, {@code (d, E)}. */
    public Parameter gate() {
        return gate;
    }

    /** Parameters: the gate {@code d E} plus the experts. */
    public long parameterCount() {
        return (long) modelDim * numExperts + experts.parameterCount();
    }

    @Override
    public String toString() {
        return "MoeLayer(E=" + numExperts + ", d=" + modelDim + ", h=" + experts.hiddenDim()
                + ", router=" + router + (execution == ExpertExecution.PADDED ? ""
                : ", " + execution) + ")";
    }

    /** Builder: {@code setNumExperts}, {@code setModelDim}, {@code setHiddenDim} and {@code setRouter} are required. */
    public static final class Builder {
        private int numExperts;
        private int modelDim;
        private int hiddenDim;
        private Router router;
        private AuxLoss auxLoss = AuxLoss.none();
        private ExpertExecution execution = ExpertExecution.PADDED;

        /** Number of experts {@code E}. */
        public Builder setNumExperts(int numExperts) {
            this.numExperts = numExperts;
            return this;
        }

        /** Item width {@code d}. */
        public Builder setModelDim(int modelDim) {
            this.modelDim = modelDim;
            return this;
        }

        /** Hidden width {@code h} of each expert MLP. */
        public Builder setHiddenDim(int hiddenDim) {
            this.hiddenDim = hiddenDim;
            return this;
        }

        /** The routing strategy. */
        public Builder setRouter(Router router) {
            this.router = router;
            return this;
        }

        /** The auxiliary loss computed after each forward pass (default: none). */
        public Builder optAuxLoss(AuxLoss auxLoss) {
            this.auxLoss = auxLoss;
            return this;
        }

        /** How the experts run (default {@link ExpertExecution#PADDED}). */
        public Builder optExecution(ExpertExecution execution) {
            if (execution == null) {
                throw new IllegalArgumentException("execution is null; pass ExpertExecution.PADDED"
                        + " (buffers, the default) or ExpertExecution.SORTED (only rows with tokens)");
            }
            this.execution = execution;
            return this;
        }

        /** Builds the layer. */
        public MoeLayer build() {
            if (numExperts < 1 || modelDim < 1 || hiddenDim < 1 || router == null) {
                throw new IllegalArgumentException("MoeLayer needs numExperts, modelDim, hiddenDim >= 1"
                        + " and a router; got E=" + numExperts + " d=" + modelDim + " h="
                        + hiddenDim + " router=" + router);
            }
            return new MoeLayer(this);
        }
    }
}
