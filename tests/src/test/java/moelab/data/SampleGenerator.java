package moelab.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes the tiny dataset samples under {@code datasets/samples/}, each in its dataset's real
 * on-disk format, with pixel values and labels given by the formulas below so tests can check them
 * by hand. Run {@code main} with the output directory to regenerate; {@link SamplesTest} checks
 * the committed files equal what this writes.
 *
 * <ul>
 *   <li>fashion-mnist: 20 train images (gzipped IDX), pixel(i, r, c) = 10·i + r + c, label(i) =
 *       7·i mod 10; 10 test images (raw IDX), pixel(j, r, c) = 255 − 10·j − r − c, label(j) = j.
 *   <li>cifar10: data_batch_1..5.bin with 2 records each (record n = 0..9 overall), label n, R(y,
 *       x) = 8·y, G = 8·x, B = 20·n; test_batch.bin 4 records, label 9 − m, R = 255 − 8·y, G = 255 −
 *       8·x, B = 10·m.
 *   <li>cifar100: train.bin 6 records, coarse n, fine 17·n mod 100, R = 40·n, G = 8·x, B = 8·y;
 *       test.bin 3 records, coarse 19 − m, fine 99 − m, all channels 100 + m.
 *   <li>imagefolder: train/cat (cat0.png 16×8 left half red, right half black; cat1.png 8×12 red;
 *       cat2.jpg 10×10 red), train/dog (dog0.png 16×16 blue, dog1.png 8×8 blue), val/cat/c.png
 *       8×8 red, val/dog/d.png 8×8 blue.
 *   <li>text/tiny.txt, wikitext103/wiki.*.raw, kjv/bible-output.txt: short texts.
 * </ul>
 */
public final class SampleGenerator {

    private SampleGenerator() {}

    /**
     * Regenerates the samples.
     *
     * @param args the output directory, default {@code datasets/samples}
     * @throws IOException when writing fails
     */
    public static void main(String[] args) throws IOException {
        writeAll(Path.of(args.length > 0 ? args[0] : "datasets/samples"));
    }

    /**
     * Writes every sample under a directory.
     *
     * @param dir the samples root
     * @throws IOException when writing fails
     */
    public static void writeAll(Path dir) throws IOException {
        writeFashionMnist(dir.resolve("fashion-mnist"));
        writeCifar10(dir.resolve("cifar10/cifar-10-batches-bin"));
        writeCifar100(dir.resolve("cifar100/cifar-100-binary"));
        writeImageFolder(dir.resolve("imagefolder"));
        writeTexts(dir);
    }

    static int fashionTrainPixel(int i, int r, int c) {
        return 10 * i + r + c;
    }

    static int fashionTestPixel(int j, int r, int c) {
        return 255 - 10 * j - r - c;
    }

    private static void writeFashionMnist(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] train = new byte[20 * 28 * 28];
        byte[] trainLabels = new byte[20];
        for (int i = 0; i < 20; i++) {
            trainLabels[i] = (byte) (7 * i % 10);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    train[(i * 28 + r) * 28 + c] = (byte) fashionTrainPixel(i, r, c);
                }
            }
        }
        byte[] test = new byte[10 * 28 * 28];
        byte[] testLabels = new byte[10];
        for (int j = 0; j < 10; j++) {
            testLabels[j] = (byte) j;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    test[(j * 28 + r) * 28 + c] = (byte) fashionTestPixel(j, r, c);
                }
            }
        }
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(train, 20, 28, 28)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(trainLabels, 20)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(test, 10, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(testLabels, 10));
    }

    /** An IDX file of unsigned bytes: magic 0x000008nn, the dims, the values. */
    static byte[] idx(byte[] values, int... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static void writeCifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int batch = 1; batch <= 5; batch++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int k = 0; k < 2; k++) {
                int n = (batch - 1) * 2 + k;
                out.write(n);
                writePlanes(out, (y, x) -> 8 * y, (y, x) -> 8 * x, (y, x) -> 20 * n);
            }
            Files.write(dir.resolve("data_batch_" + batch + ".bin"), out.toByteArray());
        }
        ByteArrayOutputStream test = new ByteArrayOutputStream();
        for (int m = 0; m < 4; m++) {
            int b = 10 * m;
            test.write(9 - m);
            writePlanes(test, (y, x) -> 255 - 8 * y, (y, x) -> 255 - 8 * x, (y, x) -> b);
        }
        Files.write(dir.resolve("test_batch.bin"), test.toByteArray());
        Files.writeString(
                dir.resolve("batches.meta.txt"),
                String.join("\n", Cifar10.CLASS_NAMES) + "\n\n",
                StandardCharsets.US_ASCII);
    }

    private static void writeCifar100(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream train = new ByteArrayOutputStream();
        for (int n = 0; n < 6; n++) {
            int r = 40 * n;
            train.write(n);
            train.write(17 * n % 100);
            writePlanes(train, (y, x) -> r, (y, x) -> 8 * x, (y, x) -> 8 * y);
        }
        Files.write(dir.resolve("train.bin"), train.toByteArray());
        ByteArrayOutputStream test = new ByteArrayOutputStream();
        for (int m = 0; m < 3; m++) {
            int v = 100 + m;
            test.write(19 - m);
            test.write(99 - m);
            writePlanes(test, (y, x) -> v, (y, x) -> v, (y, x) -> v);
        }
        Files.write(dir.resolve("test.bin"), test.toByteArray());
    }

    private interface Plane {
        int value(int y, int x);
    }

    private static void writePlanes(ByteArrayOutputStream out, Plane red, Plane green, Plane blue) {
        for (Plane plane : new Plane[] {red, green, blue}) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    out.write(plane.value(y, x));
                }
            }
        }
    }

    private static void writeImageFolder(Path dir) throws IOException {
        BufferedImage halfRed = solid(16, 8, Color.BLACK);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                halfRed.setRGB(x, y, Color.RED.getRGB());
            }
        }
        write(halfRed, "png", dir.resolve("train/cat/cat0.png"));
        write(solid(8, 12, Color.RED), "png", dir.resolve("train/cat/cat1.png"));
        write(solid(10, 10, Color.RED), "jpg", dir.resolve("train/cat/cat2.jpg"));
        write(solid(16, 16, Color.BLUE), "png", dir.resolve("train/dog/dog0.png"));
        write(solid(8, 8, Color.BLUE), "png", dir.resolve("train/dog/dog1.png"));
        write(solid(8, 8, Color.RED), "png", dir.resolve("val/cat/c.png"));
        write(solid(8, 8, Color.BLUE), "png", dir.resolve("val/dog/d.png"));
    }

    private static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        return image;
    }

    private static void write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, bytes)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        Files.write(file, bytes.toByteArray());
    }

    /** The text sample: 100 lines "line NN: the quick brown fox\n", 2,900 bytes. */
    static String tinyText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append(String.format("line %02d: the quick brown fox%n", i).replace("\r", ""));
        }
        return text.toString();
    }

    private static void writeTexts(Path dir) throws IOException {
        Path text = dir.resolve("text/tiny.txt");
        Files.createDirectories(text.getParent());
        Files.writeString(text, tinyText(), StandardCharsets.UTF_8);

        Path wiki = dir.resolve("wikitext103/wikitext-103-raw");
        Files.createDirectories(wiki);
        Files.writeString(wiki.resolve("wiki.train.raw"),
                " \n = Valkyria Chronicles III = \n \n Senjō no Valkyria 3 is a tactical role @-@ playing"
                        + " video game . \n \n = = Gameplay = = \n \n The game is played in turns . \n",
                StandardCharsets.UTF_8);
        Files.writeString(wiki.resolve("wiki.valid.raw"),
                " \n = Homarus gammarus = \n \n Homarus gammarus is a species of clawed lobster . \n",
                StandardCharsets.UTF_8);
        Files.writeString(wiki.resolve("wiki.test.raw"),
                " \n = Robert Boulter = \n \n Robert Boulter is an English film actor . \n",
                StandardCharsets.UTF_8);

        Path kjv = dir.resolve("kjv/bible-output.txt");
        Files.createDirectories(kjv.getParent());
        Files.writeString(kjv,
                "Ge1:1 In the beginning God created the heaven and the earth.\n"
                        + "Ge1:2 And the earth was without form, and void; and darkness was upon the face"
                        + " of the deep. And the Spirit of God moved upon the face of the waters.\n"
                        + "1Sm3:10 And the LORD came, and stood, and called as at other times, Samuel,"
                        + " Samuel. Then Samuel answered, Speak; for thy servant heareth.\n"
                        + "SSol2:1 I am the rose of Sharon, and the lily of the valleys.\n"
                        + "Rev22:21 The grace of our Lord Jesus Christ be with you all. Amen.\n",
                StandardCharsets.US_ASCII);
    }
}
