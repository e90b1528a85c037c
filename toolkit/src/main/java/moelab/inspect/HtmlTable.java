package moelab.inspect;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw {@link Table} as an HTML {@code <table>}, for the last line of a notebook cell:
 * Jupyter renders it as a table (a plain {@code Table} would show as run-together text). Cells
 * are formatted by each column's print formatter, so a column set to four decimals shows four.
 *
 * <pre>{@code
 * HtmlTable.of(RoutingTable.experts(routing))
 * }</pre>
 */
public final class HtmlTable {

    private HtmlTable() {}

    /** The table's name as a caption, a header row, then one row per table row. */
    public static String of(Table table) {
        StringBuilder html = new StringBuilder("<table>");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(escape(column.name())).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int row = 0; row < table.rowCount(); row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
