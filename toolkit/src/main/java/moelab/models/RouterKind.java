package moelab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which router (and which auxiliary loss) an {@link MoePart} puts in its MoE layers: the
 * combinations the papers compare. The routers themselves live in {@link moelab.routing};
 * {@link MoePart#router()} and {@link MoePart#auxLoss()} make them.
 *
 * <p>In JSON and {@code --set} a kind is written by its {@link #key()} ({@code batch-priority},
 * {@code switch}, ...) or an alias ({@code bpr}).
 */
public enum RouterKind {
    /**
     * Sparse-MLP's importance-score routing: noisy {@code TopK(softmax(W_g x + ε))},
     * {@code ε ~ N(0, 1/E²)}, capacity served by top gate value (V-MoE's batch priority routing,
     * BPR); aux loss {@code λ(½ L_imp + ½ L_load)}.
     */
    BATCH_PRIORITY("bpr"),
    /** Switch Transformer top-1; aux loss {@code λ · E Σ f_e P_e}. */
    SWITCH(),
    /** GShard top-2; aux loss {@code λ · E Σ f_e P_e}. */
    GSHARD(),
    /**
     * BASE layers: balanced assignment over the whole batch in training (not causal: a token's
     * expert depends on later tokens and other sequences), best expert at evaluation; no aux loss.
     */
    BASE(),
    /**
     * BASE layers made causal in training: the balanced assignment is solved online, position by
     * position ({@link moelab.routing.CausalBaseRouter} on the tokens in {@code (T, B)} order), so
     * a token's expert depends only on tokens at its own or earlier positions; no aux loss.
     */
    BASE_CAUSAL(),
    /** Hash layers, token id → expert (seed 0); no aux loss. */
    HASH();

    private final List<String> aliases;

    RouterKind(String... aliases) {
        this.aliases = List.of(aliases);
    }

    /** The name used in JSON and on the command line: {@code batch-priority}, {@code base-causal}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The kind named {@code text}: its {@link #key()}, its enum name or an alias, in any case.
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static RouterKind parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        List<String> valid = new ArrayList<>();
        for (RouterKind kind : values()) {
            if (kind.key().equals(wanted) || kind.aliases.contains(wanted)) {
                return kind;
            }
            valid.add(kind.key());
            valid.addAll(kind.aliases);
        }
        throw new IllegalArgumentException(
                "unknown router '" + text + "'; valid routers: " + String.join(", ", valid));
    }
}
