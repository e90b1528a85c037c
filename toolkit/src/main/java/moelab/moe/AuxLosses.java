package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import moelab.routing.Routing;

/**
 * The auxiliary losses of one forward pass: a record, open on one thread, to which every MoE layer
 * that runs while it is open adds one {@link Entry} (the layer, its routing, its aux loss) per
 * call. A trainer opens it around the forward pass and adds {@link #sum} to the task loss,
 *
 * <pre>
 *   try (AuxLosses auxLosses = AuxLosses.open()) {
 *       NDArray logits = model.forward(store, inputs, true).head();
 *       NDArray loss = taskLoss(logits, labels).add(auxLosses.sum(logits));
 *   }
 * </pre>
 *
 * so a layer called twice in the pass contributes both of its losses, and a layer that did not run
 * contributes none. Outside an open record MoE layers add nothing anywhere (evaluation forwards
 * leave no trace; {@link MoeBlock#lastAuxLoss()} still shows the latest one for inspection).
 *
 * <p>Thread confinement: the record collects the forward passes of the thread that opened it, and
 * only that thread may close it; a forward pass run on another thread (one device's share of a
 * batch in data-parallel training, say) needs a record opened on that thread. One record per
 * thread at a time: opening a second one before the first is closed is refused (nesting has no
 * meaning: which record would a call belong to?). Entries stay readable after {@link #close()}.
 */
public final class AuxLosses implements AutoCloseable {

    private static final ThreadLocal<AuxLosses> OPEN = new ThreadLocal<>();

    private final Thread owner = Thread.currentThread();
    private final List<Entry> entries = new ArrayList<>();
    private boolean closed;

    private AuxLosses() {}

    /**
     * Opens a record on the current thread.
     *
     * @throws IllegalStateException when this thread already has an open record
     */
    public static AuxLosses open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("an AuxLosses record is already open on thread "
                    + Thread.currentThread().getName() + ": close it (try-with-resources) before"
                    + " opening another; one record covers one forward pass");
        }
        AuxLosses record = new AuxLosses();
        OPEN.set(record);
        return record;
    }

    /**
     * Adds one MoE forward call to the record open on this thread; does nothing when none is open.
     *
     * @param layer the block that ran
     * @param routing its routing
     * @param auxLoss its scalar aux loss (already scaled by the layer's own weight)
     */
    public static void add(MoeBlock layer, Routing routing, NDArray auxLoss) {
        add(layer, () -> routing, auxLoss);
    }

    /**
     * Like {@link #add(MoeBlock, Routing, NDArray)} for a layer whose routing is a view computed
     * only when someone asks for it (once, then kept).
     */
    public static void add(MoeBlock layer, Supplier<Routing> routing, NDArray auxLoss) {
        AuxLosses record = OPEN.get();
        if (record != null) {
            record.entries.add(new Entry(layer, routing, auxLoss));
        }
    }

    /** The entries in call order, one per MoE forward call made while the record was open. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * {@code Σ_entries L_aux}, unweighted.
     *
     * @param like an array whose device and data type the sum takes (an aux loss scaled by a Java
     *     double comes out as float64; it is brought to this type)
     * @return a scalar; zero when no MoE layer ran
     */
    public NDArray sum(NDArray like) {
        NDArray sum = like.getManager().zeros(new Shape(), like.getDataType());
        for (Entry entry : entries) {
            NDArray aux = entry.auxLoss();
            sum = sum.add(aux.getDataType() == like.getDataType() ? aux
                    : aux.toType(like.getDataType(), false));
        }
        return sum;
    }

    /** Whether the record still collects. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Stops collecting. Closing twice is harmless.
     *
     * @throws IllegalStateException when called from another thread than the one that opened it
     */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an AuxLosses record is closed by the thread that"
                    + " opened it (" + owner.getName() + "), not by "
                    + Thread.currentThread().getName());
        }
        if (!closed) {
            closed = true;
            OPEN.remove();
        }
    }

    /** One MoE forward call: the layer, its routing and its scalar aux loss. */
    public static final class Entry {
        private final MoeBlock layer;
        private final NDArray auxLoss;
        private Supplier<Routing> routingView;
        private Routing routing;

        Entry(MoeBlock layer, Supplier<Routing> routingView, NDArray auxLoss) {
            this.layer = layer;
            this.routingView = routingView;
            this.auxLoss = auxLoss;
        }

        /** The block that ran. */
        public MoeBlock layer() {
            return layer;
        }

        /** Its scalar aux loss. */
        public NDArray auxLoss() {
            return auxLoss;
        }

        /** Its routing (computed on the first call when the layer gave a view). */
        public Routing routing() {
            if (routingView != null) {
                routing = routingView.get();
                routingView = null;
            }
            return routing;
        }
    }
}
