package moelab.inspect;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import moelab.files.RunFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart charts as pictures: an image for a notebook's {@code display(...)}, or a PNG file. */
public final class ChartFiles {

    private ChartFiles() {}

    /** The chart drawn as an image. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes the chart as a PNG atomically: to a temporary file beside {@code png}, then moved
     * over it, so a reader never sees half a picture.
     */
    public static void savePng(Chart<?, ?> chart, Path png) {
        savePng(List.of(chart), 1, 1, png);
    }

    /**
     * Writes several charts as one PNG grid of {@code rows × columns} panels, atomically and with
     * the mode of every file a run writes ({@link RunFiles}).
     */
    public static <T extends Chart<?, ?>> void savePng(List<T> charts, int rows, int columns,
            Path png) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        RunFiles.writeAtomically(png, out -> BitmapEncoder.saveBitmap(charts, rows, columns, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
