package moelab.inspect;

import moelab.routing.Routing;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** A {@link Routing} as Tablesaw tables, to print in a notebook or save as CSV. */
public final class RoutingTable {

    private RoutingTable() {}

    /**
     * One row per used (item, slot): item, slot, expert, buffer position, kept, combine weight.
     */
    public static Table assignments(Routing routing) {
        IntColumn item = IntColumn.create("item");
        IntColumn slot = IntColumn.create("slot");
        IntColumn expert = IntColumn.create("expert");
        IntColumn position = IntColumn.create("position");
        BooleanColumn kept = BooleanColumn.create("kept");
        DoubleColumn weight = DoubleColumn.create("weight");
        float[] weights = Arrays32.of(routing.weights());
        for (int t = 0; t < routing.numItems(); t++) {
            for (int s = 0; s < routing.slots(); s++) {
                if (routing.expert(t, s) < 0) {
                    continue;
                }
                item.append(t);
                slot.append(s);
                expert.append(routing.expert(t, s));
                position.append(routing.position(t, s));
                kept.append(routing.kept(t, s));
                weight.append(weights[t * routing.slots() + s]);
            }
        }
        weight.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
        return Table.create("routing", item, slot, expert, position, kept, weight);
    }

    /**
     * One row per expert: items kept, capacity, fill (kept / capacity) and importance (total
     * router probability {@code Σ_t p_{t,e}}).
     */
    public static Table experts(Routing routing) {
        int experts = routing.numExperts();
        int[] load = routing.expertLoad();
        float[] probs = Arrays32.of(routing.probs());
        double[] importance = new double[experts];
        for (int i = 0; i < probs.length; i++) {
            importance[i % experts] += probs[i];
        }
        IntColumn expert = IntColumn.create("expert");
        IntColumn kept = IntColumn.create("kept");
        IntColumn capacity = IntColumn.create("capacity");
        DoubleColumn fill = DoubleColumn.create("fill");
        DoubleColumn imp = DoubleColumn.create("importance");
        for (int e = 0; e < experts; e++) {
            expert.append(e);
            kept.append(load[e]);
            capacity.append(routing.capacity());
            fill.append((double) load[e] / routing.capacity());
            imp.append(importance[e]);
        }
        fill.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
        imp.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        return Table.create("experts", expert, kept, capacity, fill, imp);
    }
}
