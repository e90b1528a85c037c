package moelab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The file list of one split of an {@link ImageFolder}: class names (the sorted sub-folders of
 * {@code root/train/}), the image files of the split and their labels, interleaved by class (one
 * image of each class in turn, so a prefix covers all classes evenly).
 *
 * @param classNames sorted folder names of {@code train/}; label i is the i-th
 * @param files image files of the split, interleaved by class
 * @param labels label of each file
 */
record ImageFolderIndex(List<String> classNames, List<Path> files, int[] labels) {

    /**
     * Lists {@code root/split/<class>/*.jpg|jpeg|png}.
     *
     * @param split {@code train} or {@code val}
     * @throws DatasetException when a folder is missing, holds no image, or has a class folder
     *     that {@code train/} lacks
     */
    static ImageFolderIndex scan(Path root, String split) {
        Path trainDir = root.resolve("train");
        Path splitDir = root.resolve(split);
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(splitDir)) {
            throw DatasetException.missing(ImageFolder.NAME, List.of(splitDir),
                    "a folder with one sub-folder of images per class", ImageFolder.HOW_TO_FETCH);
        }
        List<String> names = subfolders(trainDir);
        for (String name : subfolders(splitDir)) {
            if (!names.contains(name)) {
                throw DatasetException.corrupt(ImageFolder.NAME, splitDir.resolve(name),
                        "class folder '" + name + "' has no counterpart in " + trainDir
                                + ", so it has no label", ImageFolder.HOW_TO_FETCH, null);
            }
        }
        List<List<Path>> perClass = new ArrayList<>();
        for (String name : names) {
            Path classDir = splitDir.resolve(name);
            perClass.add(Files.isDirectory(classDir) ? images(classDir) : List.of());
        }
        List<Path> ordered = new ArrayList<>();
        List<Integer> orderedLabels = new ArrayList<>();
        for (int round = 0; ; round++) {
            boolean any = false;
            for (int c = 0; c < perClass.size(); c++) {
                if (round < perClass.get(c).size()) {
                    ordered.add(perClass.get(c).get(round));
                    orderedLabels.add(c);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        if (ordered.isEmpty()) {
            throw DatasetException.missing(ImageFolder.NAME, List.of(splitDir),
                    "*.jpg, *.jpeg or *.png files in class sub-folders", ImageFolder.HOW_TO_FETCH);
        }
        return new ImageFolderIndex(List.copyOf(names), List.copyOf(ordered),
                orderedLabels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw DatasetException.corrupt(ImageFolder.NAME, dir, "cannot be listed: "
                    + e.getMessage(), ImageFolder.HOW_TO_FETCH, e);
        }
    }

    private static List<Path> images(Path classDir) {
        try (Stream<Path> children = Files.list(classDir)) {
            return children.filter(Files::isRegularFile).filter(ImageFolderIndex::isImage)
                    .sorted().toList();
        } catch (IOException e) {
            throw DatasetException.corrupt(ImageFolder.NAME, classDir, "cannot be listed: "
                    + e.getMessage(), ImageFolder.HOW_TO_FETCH, e);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }
}
