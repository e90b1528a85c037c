package moelab.inspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import moelab.routing.Routing;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Bar chart of items per expert, with the capacity as a second series, so an overloaded or
 * starved expert is seen at a glance. Draw it with {@link ChartFiles}.
 */
public final class ExpertLoadChart {

    private ExpertLoadChart() {}

    /** The chart of one routing. */
    public static CategoryChart of(Routing routing, String title) {
        int[] load = routing.expertLoad();
        List<Integer> experts = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int e = 0; e < load.length; e++) {
            experts.add(e);
            kept.add(load[e]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(640).height(360).title(title)
                .xAxisTitle("expert").yAxisTitle("items").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setOverlapped(true);
        chart.addSeries("capacity", experts, Collections.nCopies(load.length, routing.capacity()));
        chart.addSeries("kept", experts, kept);
        return chart;
    }
}
