package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    private static CliRun analyze(String... files) {
        String[] args = new String[files.length + 1];
        args[0] = "analyze";
        System.arraycopy(files, 0, args, 1, files.length);
        return CliRun.run(new io.github.lightlys3ingest.aws.AwsClients(Region.US_EAST_1, Optional.empty()), Map.of(),
                args);
    }

    @Test
    void printsOneRecordOrRejectionPerFileAndWritesNothing() throws Exception {
        Path photo = Path.of("src/test/resources/images/Kodak_DX4330.jpg");
        Path text = Files.writeString(tmp.resolve("notes.jpg"), "hello");

        CliRun run = analyze(photo.toString(), text.toString());

        assertEquals(0, run.exit(), run.both());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size());
        JsonNode record = Json.MAPPER.readTree(lines.get(0));
        assertEquals("Kodak_DX4330.jpg", record.get("fileName").asText());
        assertEquals(List.of(1440, 2160, 3), Json.MAPPER.convertValue(
                record.at("/sampleCreateRequest/metaData/shape"), List.class));
        assertEquals(".lightly/thumbnails/Kodak_DX4330_thumb.jpg",
                record.at("/sampleCreateRequest/thumbName").asText());
        assertFalse(record.has("lightlySampleId"));
        assertEquals("unsupported_format", Json.MAPPER.readTree(lines.get(1)).get("reason").asText());
        try (var written = Files.list(tmp)) {
            assertEquals(1, written.count(), "nothing but the input file");
        }
    }

    @Test
    void aMissingFileIsReportedAndTheOthersStillAnalysed() {
        CliRun run = analyze(tmp.resolve("missing.jpg").toString(), "src/test/resources/images/Kodak_DX4330.jpg");

        assertEquals(Main.EXIT_USAGE, run.exit());
        assertTrue(run.err().startsWith("error: not a file:"), run.both());
        assertEquals(1, run.out().lines().count());
    }
}
