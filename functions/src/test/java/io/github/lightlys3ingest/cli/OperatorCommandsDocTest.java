package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every command line in docs/operator-commands.md parses with the CLI's own parser. */
class OperatorCommandsDocTest {
    private static final String PREFIX = "java -jar functions/target/lightly-s3-ingest.jar ";

    @Test
    void everyDocumentedCommandLineParses() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../docs/operator-commands.md")).stream()
                .map(String::strip).filter(l -> l.startsWith(PREFIX)).toList();
        Set<String> commands = new TreeSet<>();
        for (String line : lines) {
            String[] args = line.substring(PREFIX.length()).strip().split("\\s+");
            commands.add(args[0]);
            assertDoesNotThrow(() -> Main.commandLine(Surroundings.ofProcess()).parseArgs(args), line);
        }
        assertEquals(Set.of("redrive", "report", "status"), commands);
    }
}
