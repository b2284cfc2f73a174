package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(MotoExtension.class)
class IngestCommandTest {
    private static final List<String> PHOTOS = List.of("Kodak_DX4330.jpg", "FujiFilm_MX1700.jpg");

    @TempDir
    Path tmp;

    private static byte[] photo(String name) throws IOException {
        try (InputStream in = IngestCommandTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private Path inputFolder() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in/cows"));
        Files.write(in.resolve("a.jpg"), photo(PHOTOS.get(0)));
        Files.write(in.resolve("b b.jpg"), photo(PHOTOS.get(1)));
        Files.writeString(in.resolve("notes.jpg"), "not an image");
        return tmp.resolve("in");
    }

    @Test
    void ingestsAFolderAndSkipsEverythingOnTheSecondRun(MotoServer moto) throws IOException {
        Path in = inputFolder();
        Path out = tmp.resolve("out");

        CliRun first = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "2");

        assertEquals(0, first.exit(), first.both());
        assertTrue(first.out().contains("ingested 2, rejected 1 {unsupported_format=1}, skipped 0"), first.both());
        assertTrue(Files.exists(out.resolve(".lightly/thumbnails/cows/b b_thumb.jpg")));
        JsonNode record = Json.MAPPER.readTree(out.resolve(".lightly/ingest/records/cows/a.jpg.json").toFile());
        assertEquals("cows/a.jpg", record.get("fileName").asText());
        assertFalse(record.has("lightlySampleId"), "dry run");
        assertTrue(Files.exists(out.resolve(".lightly/ingest/rejected/cows/notes.jpg.json")));

        CliRun second = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString());
        assertTrue(second.out().contains("ingested 0, rejected 0 {}, skipped 3"), second.both());
    }

    @Test
    void metadataModeWritesNoThumbnails(MotoServer moto) throws IOException {
        Path in = inputFolder();
        Path out = tmp.resolve("out");

        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--upload-mode", "metadata");

        assertEquals(0, run.exit(), run.both());
        assertFalse(Files.exists(out.resolve(".lightly/thumbnails")));
        JsonNode record = Json.MAPPER.readTree(out.resolve(".lightly/ingest/records/cows/a.jpg.json").toFile());
        assertFalse(record.get("sampleCreateRequest").has("thumbName"));
    }

    @Test
    void ingestsFromS3ToS3AndCreatesSamplesInLightly(MotoServer moto) throws IOException {
        String bucket = MotoServer.freshName("datalake");
        try (S3Client s3 = moto.clients().s3(); LightlyApiStub lightly = LightlyApiStub.start()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("projects/farm/cows/a.jpg"),
                    RequestBody.fromBytes(photo(PHOTOS.get(0))));
            s3.putObject(b -> b.bucket(bucket).key("projects/farm/kühe/b+c.jpg"),
                    RequestBody.fromBytes(photo(PHOTOS.get(1))));
            s3.putObject(b -> b.bucket(bucket).key("projects/farm/.lightly/old.jpg"),
                    RequestBody.fromBytes(photo(PHOTOS.get(1))));
            s3.putObject(b -> b.bucket(bucket).key("projects/other/x.jpg"),
                    RequestBody.fromBytes(photo(PHOTOS.get(1))));
            // a folder marker, as the S3 console's "Create folder" writes: no input, so no rejection either
            s3.putObject(b -> b.bucket(bucket).key("projects/farm/cows/"), RequestBody.empty());

            CliRun run = CliRun.run(moto.clients(), Map.of("LIGHTLY_TOKEN", lightly.token(),
                            "LIGHTLY_SERVER_LOCATION", lightly.baseUri().toString()),
                    "ingest", "--input", "s3://" + bucket + "/projects/farm/", "--output",
                    "s3://" + bucket + "/lightly/farm/", "--lightly-dataset-id", lightly.datasetId());

            assertEquals(0, run.exit(), run.both());
            assertEquals(Set.of("cows/a.jpg", "kühe/b+c.jpg"), lightly.samplesByFileName().keySet());
            assertEquals(List.of(), lightly.validationErrors());
            Set<String> written = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("lightly/farm/")).contents()
                    .stream().map(o -> o.key()).filter(k -> !k.startsWith("lightly/farm/.lightly/ingest/claims/"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(2, s3.listObjectsV2(b -> b.bucket(bucket).prefix("lightly/farm/.lightly/ingest/claims/"))
                    .keyCount(), "one claim per ingested version");
            assertEquals(new TreeSet<>(Set.of(
                    "lightly/farm/.lightly/ingest/records/cows/a.jpg.json",
                    "lightly/farm/.lightly/ingest/records/kühe/b+c.jpg.json",
                    "lightly/farm/.lightly/thumbnails/cows/a_thumb.jpg",
                    "lightly/farm/.lightly/thumbnails/kühe/b+c_thumb.jpg")), written);
            String record = s3.getObjectAsBytes(b -> b.bucket(bucket)
                    .key("lightly/farm/.lightly/ingest/records/cows/a.jpg.json")).asString(StandardCharsets.UTF_8);
            assertEquals(lightly.samplesByFileName().get("cows/a.jpg").id(),
                    Json.MAPPER.readTree(record).get("lightlySampleId").asText());
        }
    }

    @Test
    void folderInputWithS3OutputWorks(MotoServer moto) throws IOException {
        String bucket = MotoServer.freshName("out");
        try (S3Client s3 = moto.clients().s3()) {
            s3.createBucket(b -> b.bucket(bucket));

            CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", inputFolder().toString(),
                    "--output", "s3://" + bucket + "/lightly/");

            assertEquals(0, run.exit(), run.both());
            assertEquals(2,
                    s3.listObjectsV2(b -> b.bucket(bucket).prefix("lightly/.lightly/ingest/records/")).keyCount());
            assertEquals(1,
                    s3.listObjectsV2(b -> b.bucket(bucket).prefix("lightly/.lightly/ingest/rejected/")).keyCount());
        }
    }

    @Test
    void missingBucketIsOneLineAndASystemicExit(MotoServer moto) throws IOException {
        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input",
                "s3://" + MotoServer.freshName("missing") + "/x/", "--output", tmp.resolve("out").toString());

        assertEquals(Main.EXIT_SYSTEMIC, run.exit(), run.both());
        assertEquals(1, run.err().strip().lines().count(), run.both());
        assertTrue(run.err().startsWith("error: ") && run.err().contains("does not exist"), run.both());
    }

    @Test
    void wrongTokenStopsTheRunWithOneLine(MotoServer moto) throws IOException {
        try (LightlyApiStub lightly = LightlyApiStub.start()) {
            CliRun run = CliRun.run(moto.clients(), Map.of("LIGHTLY_TOKEN", "wrong-token-123",
                            "LIGHTLY_SERVER_LOCATION", lightly.baseUri().toString()),
                    "ingest", "--input", inputFolder().toString(), "--output", tmp.resolve("out").toString(),
                    "--lightly-dataset-id", lightly.datasetId());

            assertEquals(Main.EXIT_SYSTEMIC, run.exit(), run.both());
            assertFalse(run.err().contains("wrong-token-123"), "the token is never printed");
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith("error: ") && l.contains("401")), run.both());
            assertFalse(run.err().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void userMistakesAreOneLineWithExitTwo(MotoServer moto) throws IOException {
        Path in = inputFolder();
        CliRun nested = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                in.resolve("out").toString());
        assertEquals(Main.EXIT_USAGE, nested.exit());
        assertTrue(nested.err().startsWith("error: --output"), nested.both());

        CliRun missing = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", tmp.resolve("nope").toString(),
                "--output", tmp.resolve("out").toString());
        assertEquals(Main.EXIT_USAGE, missing.exit());
        assertTrue(missing.err().contains("is not a folder"), missing.both());

        CliRun badMode = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                tmp.resolve("out").toString(), "--upload-mode", "videos");
        assertEquals(Main.EXIT_USAGE, badMode.exit());
        assertTrue(badMode.err().contains("--upload-mode='videos'"), badMode.both());
        assertEquals(1, badMode.err().strip().lines().count());
    }
}
