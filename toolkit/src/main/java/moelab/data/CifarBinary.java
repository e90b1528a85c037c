package moelab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reader of the CIFAR "binary version" files.
 *
 * <p>A file is a sequence of records, each {@code labelBytes} label bytes followed by 3072 pixel
 * bytes: the 1024 red values of the 32×32 image row by row, then the green, then the blue. CIFAR-10
 * records have one label byte; CIFAR-100 records have two (coarse, then fine).
 */
final class CifarBinary {

    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private CifarBinary() {}

    /**
     * Reads records from the files in order until {@code limit} images are read.
     *
     * @param files the .bin files of one split
     * @param labelBytes label bytes per record (1 or 2)
     * @param labelIndex which label byte to keep (0, or 1 for CIFAR-100's fine label)
     * @param classes number of classes, to validate labels
     * @param limit the largest number of images to read
     * @param dataset display name for errors
     * @param howToFetch fetch command for errors
     * @return images (N, 3, 32, 32) and labels
     */
    static ImageArrays read(
            List<Path> files, int labelBytes, int labelIndex, int classes, long limit,
            String dataset, String howToFetch) {
        int recordBytes = labelBytes + IMAGE_BYTES;
        long total = 0;
        for (Path file : files) {
            long size = size(file, dataset, howToFetch);
            if (size == 0 || size % recordBytes != 0) {
                throw DatasetException.corrupt(
                        dataset, file,
                        "expected a whole number of " + recordBytes + "-byte records ("
                                + labelBytes + " label byte(s) + 3072 pixel bytes) but the file has "
                                + size + " bytes",
                        howToFetch, null);
            }
            total += size / recordBytes;
        }
        int n = (int) Math.min(total, limit);
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        byte[] label = new byte[labelBytes];
        int read = 0;
        for (Path file : files) {
            if (read == n) {
                break;
            }
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                while (read < n) {
                    int got = in.readNBytes(label, 0, labelBytes);
                    if (got == 0) {
                        break;
                    }
                    int pixelBytes = in.readNBytes(pixels, read * IMAGE_BYTES, IMAGE_BYTES);
                    if (got != labelBytes || pixelBytes != IMAGE_BYTES) {
                        throw DatasetException.corrupt(
                                dataset, file, "record " + read + " is truncated", howToFetch, null);
                    }
                    labels[read] = label[labelIndex] & 0xFF;
                    if (labels[read] >= classes) {
                        throw DatasetException.corrupt(
                                dataset, file,
                                "label " + labels[read] + " of a record is not a class index 0.."
                                        + (classes - 1)
                                        + "; is this the right CIFAR variant (10 vs 100)?",
                                howToFetch, null);
                    }
                    read++;
                }
            } catch (IOException e) {
                throw DatasetException.corrupt(
                        dataset, file, "cannot be read: " + e.getMessage(), howToFetch, e);
            }
        }
        return new ImageArrays(pixels, labels, 3, SIDE, SIDE);
    }

    /**
     * Finds the directory holding the .bin files: the directory itself or its official subfolder.
     *
     * @param dir a candidate directory
     * @param subfolder the folder the official archive extracts to
     * @param marker a file that must be present
     * @return the directory with the files, or {@code null}
     */
    static Path binDir(Path dir, String subfolder, String marker) {
        for (Path candidate : List.of(dir, dir.resolve(subfolder))) {
            if (Files.isRegularFile(candidate.resolve(marker))) {
                return candidate;
            }
        }
        return null;
    }

    private static long size(Path file, String dataset, String howToFetch) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DatasetException.missing(dataset, List.of(file), file.getFileName().toString(), howToFetch);
        }
    }
}
