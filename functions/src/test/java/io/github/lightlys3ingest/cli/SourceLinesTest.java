package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's code keeps to {@code .editorconfig}: lines of at most 120 characters in Java sources, build
 * files and scripts, so that every file reads without scrolling in a review.
 */
class SourceLinesTest {
    private static final int MAX = 120;
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules", "cdk.out", ".git");

    private static final Set<String> SCRIPT_FOLDERS = Set.of(".ci", "bin");

    /** Java sources, build files, Python and shell scripts, and the extension-less scripts of .ci/ and bin/. */
    private static boolean checked(Path root, Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".java") || name.equals("pom.xml") || name.endsWith(".sh") || name.endsWith(".py")) {
            return true;
        }
        Path relative = root.relativize(file);
        return relative.getNameCount() > 1 && SCRIPT_FOLDERS.contains(relative.getName(0).toString())
                && !name.contains(".");
    }

    private static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        for (Path part : root.relativize(f)) {
                            if (SKIPPED_FOLDERS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(f -> checked(root, f))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void noSourceLineIsLongerThan120Characters() throws IOException {
        Path root = DocumentedCommandsTest.repositoryRoot();
        List<Path> files = sources(root);
        assertTrue(files.size() > 100, "the walk found the sources: " + files.size());
        List<String> tooLong = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                int length = lines.get(i).codePointCount(0, lines.get(i).length());
                if (length > MAX) {
                    tooLong.add(root.relativize(file) + ":" + (i + 1) + " (" + length + ")");
                }
            }
        }
        assertEquals(List.of(), tooLong, "lines over " + MAX + " characters");
    }
}
