package moelab.bench;

import tech.tablesaw.api.Table;

/** A Tablesaw table as a GitHub Markdown table (header, alignment row, one line per row). */
final class Markdown {

    private Markdown() {}

    static String of(Table table) {
        StringBuilder md = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String name : table.columnNames()) {
            md.append(' ').append(name).append(" |");
            rule.append("---|");
        }
        md.append('\n').append(rule).append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            md.append('|');
            for (int c = 0; c < table.columnCount(); c++) {
                md.append(' ').append(table.column(c).getString(r)).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}
