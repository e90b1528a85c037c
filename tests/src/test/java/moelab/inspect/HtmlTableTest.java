package moelab.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

class HtmlTableTest {

    @Test
    void rowsHeaderCaptionAndFormattedEscapedCells() {
        DoubleColumn loss = DoubleColumn.create("loss", 0.123456, 2.0);
        loss.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
        Table table = Table.create("runs <a>", StringColumn.create("model", "mixer", "x&y"), loss);
        assertThat(HtmlTable.of(table)).isEqualTo("<table><caption>runs &lt;a&gt;</caption>"
                + "<thead><tr><th>model</th><th>loss</th></tr></thead><tbody>"
                + "<tr><td>mixer</td><td>0.12</td></tr><tr><td>x&amp;y</td><td>2.00</td></tr></tbody></table>");
    }
}
