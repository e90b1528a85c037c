package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.ref.WeakReference;

/**
 * Keeps a routing's Java views alive after the batch's {@link NDManager} closes. The routing's
 * device indices move to a manager of their own, and this hook, attached to the batch's manager,
 * runs when that closes: if someone still holds the routing (a layer's {@code lastRouting()}, a
 * test, a notebook) it copies the indices to the host, then frees them. A routing nobody holds
 * costs no copy. The copy happens at the end of the batch, never inside a forward pass.
 */
final class HostCopyOnClose implements AutoCloseable {

    private final WeakReference<Routing> routing;
    private final NDManager own;

    private HostCopyOnClose(Routing routing, NDManager own) {
        this.routing = new WeakReference<>(routing);
        this.own = own;
    }

    /**
     * Moves {@code indices} to a private manager on their device, freed (after the copy) when
     * their current manager closes.
     */
    static void watch(Routing routing, NDArray... indices) {
        NDManager batch = indices[0].getManager();
        NDManager own = NDManager.newBaseManager(indices[0].getDevice(),
                batch.getEngine().getEngineName());
        for (NDArray index : indices) {
            index.attach(own);
        }
        batch.attachInternal(NDManager.nextUid(), new HostCopyOnClose(routing, own));
    }

    @Override
    public void close() {
        Routing held = routing.get();
        if (held != null) {
            held.copyToHost();
        }
        own.close();
    }
}
