package moelab.inspect;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".chart", ".png");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart to " + png, e);
        }
    }
}
