package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub.Fault;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest} against the spec-validating Lightly stand-in: exactly one sample per file name when Lightly
 * does not refuse duplicates, hung and dead servers, dry runs, dataset switches, overwrites, removals with
 * {@code --prune}, and a token that must never show. Retries use the product's real schedule.
 */
@ExtendWith(MotoExtension.class)
class IngestCommandLightlyTest {
    private static final List<String> PHOTOS = List.of("Kodak_DX4330.jpg", "FujiFilm_MX1700.jpg",
            "Konica_Q-M100_2_.jpg", "Olympus_C720UZ.jpg");

    @TempDir
    Path tmp;

    private LightlyApiStub lightly = LightlyApiStub.start();

    @AfterEach
    void everyRequestMatchedTheDocument() {
        try {
            assertEquals(List.of(), lightly.validationErrors());
            assertEquals(List.of(), lightly.responseValidationErrors());
        } finally {
            lightly.close();
        }
    }

    private static byte[] photo(String name) throws IOException {
        try (InputStream in = IngestCommandLightlyTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private Path in() throws IOException {
        return Files.createDirectories(tmp.resolve("in"));
    }

    private Path out() {
        return tmp.resolve("out");
    }

    private Path images(int count) throws IOException {
        Path in = in();
        for (int i = 0; i < count; i++) {
            Path file = in.resolve("farm/img-" + i + ".jpg");
            Files.createDirectories(file.getParent());
            Files.write(file, photo(PHOTOS.get(i % PHOTOS.size())));
        }
        return in;
    }

    private Map<String, String> env() {
        return Map.of("LIGHTLY_TOKEN", lightly.token(), "LIGHTLY_SERVER_LOCATION", lightly.baseUri().toString());
    }

    private CliRun ingest(MotoServer moto, String datasetId, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("ingest", "--input", in().toString(), "--output",
                out().toString()));
        if (datasetId != null) {
            args.addAll(List.of("--lightly-dataset-id", datasetId));
        }
        args.addAll(List.of(more));
        return CliRun.run(moto.clients(), env(), args.toArray(String[]::new));
    }

    private JsonNode record(String fileName) throws IOException {
        return Json.MAPPER.readTree(out().resolve(".lightly/ingest/records/" + fileName + ".json").toFile());
    }

    /** Sample creations and lookups the stand-in received. */
    private int sent() {
        return lightly.requestCount(LightlyApiStub.CREATE_SAMPLE) + lightly.requestCount(LightlyApiStub.FIND_SAMPLES);
    }

    private long claims() throws IOException {
        Path claims = out().resolve(".lightly/ingest/claims");
        if (!Files.exists(claims)) {
            return 0;
        }
        try (var files = Files.walk(claims)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void thirtyPercentFaultsWithoutA409GiveEveryFileNameExactlyOneSample(MotoServer moto) throws IOException {
        images(10);
        lightly.acceptDuplicates(true);
        lightly.faultPlan(LightlyApiStub.FaultPlan.seeded(8).withServerErrorAfterProcessing(0.1)
                .withLostResponse(0.1).withServerError(0.05).withReset(0.05));

        CliRun run = ingest(moto, lightly.datasetId(), "--threads", "2");

        Map<String, Integer> perName = lightly.samplesPerFileName(lightly.datasetId());
        System.out.println("30 % faults, no 409: samples per file name " + new TreeMap<>(perName).values()
                + ", requests " + lightly.requestsByEndpoint());
        assertEquals(0, run.exit(), run.both());
        assertEquals(10, perName.size());
        assertTrue(perName.values().stream().allMatch(n -> n == 1), "one sample per file name: " + perName);
        assertTrue(sent() > 10, "faults were injected");
        for (int i = 0; i < 10; i++) {
            String name = "farm/img-" + i + ".jpg";
            assertEquals(lightly.samplesByFileName().get(name).id(), record(name).get("lightlySampleId").asText());
        }
    }

    @Test
    void aHungRequestIsAbandonedAfterTheRequestTimeoutAndRetried(MotoServer moto) throws IOException {
        images(1);
        lightly.acceptDuplicates(true);
        lightly.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.HANG);
        long started = System.nanoTime();

        CliRun run = ingest(moto, lightly.datasetId(), "--lightly-request-timeout", "2");

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("hung request: run took %.1f s with --lightly-request-timeout 2%n", seconds);
        assertEquals(0, run.exit(), run.both());
        assertEquals(Map.of("farm/img-0.jpg", 1), lightly.samplesPerFileName(lightly.datasetId()));
        assertEquals(2, lightly.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertTrue(seconds < 30, "abandoned after the request timeout, not Lightly's 180 s: " + seconds);
    }

    @Test
    void aLightlyOutageStopsTheRunWithExitThreeAndOneLineNamingTheServer(MotoServer moto) throws Exception {
        images(8);
        lightly.refuseConnections();
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        later.schedule(() -> {
            lightly.failAll(Fault.SERVICE_UNAVAILABLE);
            lightly.acceptConnections();
        }, 3, TimeUnit.SECONDS);
        long started = System.nanoTime();
        CliRun run;
        try {
            run = ingest(moto, lightly.datasetId());
        } finally {
            later.shutdownNow();
        }

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("outage (refused, then 503 forever): exit %d after %.1f s%n", run.exit(), seconds);
        assertEquals(Main.EXIT_SYSTEMIC, run.exit(), run.both());
        assertTrue(seconds < 60, "within a minute: " + seconds);
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), run.both());
        assertTrue(errors.get(0).startsWith("error: Lightly at " + lightly.baseUri() + " is unavailable: "),
                errors.get(0));
        assertFalse(run.both().contains(lightly.token()), "the token is never printed");
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertEquals(0, claims(), "objects not ingested keep no claim");
        assertFalse(Files.exists(out().resolve(".lightly/ingest/records")), "no record without a sample");
        assertTrue(sent() < 20, "stopped sending: " + lightly.requestsByEndpoint());
    }

    @Test
    void aDryRunThenARealRunThenAnotherDatasetCreateEverySampleInEach(MotoServer moto) throws IOException {
        images(3);
        String other = lightly.addDataset("other");

        CliRun dry = ingest(moto, null);
        CliRun real = ingest(moto, lightly.datasetId());
        assertEquals(Map.of(LightlyApiStub.CREATE_SAMPLE, 3), lightly.requestsByEndpoint(),
                "one Lightly request per new object");
        CliRun again = ingest(moto, lightly.datasetId());
        CliRun switched = ingest(moto, other);

        assertEquals(0, dry.exit(), dry.both());
        assertTrue(dry.out().contains("dry run"), dry.both());
        assertEquals(0, real.exit(), real.both());
        assertTrue(real.out().contains("ingested 3,"), real.both());
        assertEquals(3, lightly.samplesByFileName(lightly.datasetId()).size());
        assertTrue(again.out().contains("ingested 0, rejected 0 {}, skipped 3"), again.both());
        assertEquals(0, switched.exit(), switched.both());
        assertTrue(switched.out().contains("ingested 3,"), switched.both());
        assertEquals(lightly.samplesByFileName(lightly.datasetId()).keySet(),
                lightly.samplesByFileName(other).keySet());
        assertEquals(other, record("farm/img-0.jpg").get("lightlyDatasetId").asText());
        assertEquals(lightly.samplesByFileName(other).get("farm/img-0.jpg").id(),
                record("farm/img-0.jpg").get("lightlySampleId").asText());
        assertEquals(6, lightly.samplesCreated(), "3 per dataset, none twice");
    }

    @Test
    void anOverwriteWithAnotherShapeUpdatesTheOneSampleWithOneRequest(MotoServer moto) throws IOException {
        Path file = images(1).resolve("farm/img-0.jpg");
        assertEquals(0, ingest(moto, lightly.datasetId()).exit());
        String sampleId = lightly.samplesByFileName().get("farm/img-0.jpg").id();
        Map<String, Integer> before = new HashMap<>(lightly.requestsByEndpoint());
        BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        wide.getGraphics().fillRect(10, 10, 50, 50);
        ImageIO.write(wide, "jpg", file.toFile());

        CliRun run = ingest(moto, lightly.datasetId());

        assertEquals(0, run.exit(), run.both());
        Map<String, Integer> sent = lightly.requestsByEndpoint().entrySet().stream()
                .filter(e -> e.getValue() - before.getOrDefault(e.getKey(), 0) > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - before.getOrDefault(e.getKey(), 0)));
        System.out.println("Lightly requests for one overwrite: " + sent);
        assertEquals(Map.of(LightlyApiStub.UPDATE_SAMPLE, 1), sent);
        assertEquals(Map.of("farm/img-0.jpg", 1), lightly.samplesPerFileName(lightly.datasetId()));
        JsonNode stored = lightly.samplesByFileName().get("farm/img-0.jpg").request();
        assertEquals("[100,300,3]", stored.at("/metaData/shape").toString(), "Lightly shows the new shape");
        assertEquals(Files.size(file), stored.at("/metaData/sizeInBytes").asLong());
        assertEquals(sampleId, record("farm/img-0.jpg").get("lightlySampleId").asText());
        assertEquals("[100,300,3]", record("farm/img-0.jpg").at("/sampleCreateRequest/metaData/shape").toString());
        BufferedImage thumb = ImageIO.read(out().resolve(".lightly/thumbnails/farm/img-0_thumb.jpg").toFile());
        assertEquals(128, thumb.getWidth(), "the thumbnail is the new image's");
    }

    @Test
    void pruneMarksTheSampleOfAGoneImageAndReCreatingItClearsTheMark(MotoServer moto) throws IOException {
        Path in = images(2);
        assertEquals(0, ingest(moto, lightly.datasetId()).exit());
        String sampleId = lightly.samplesByFileName().get("farm/img-0.jpg").id();
        byte[] bytes = Files.readAllBytes(in.resolve("farm/img-0.jpg"));
        Files.delete(in.resolve("farm/img-0.jpg"));

        CliRun plain = ingest(moto, lightly.datasetId());
        CliRun dry = ingest(moto, null, "--prune");

        assertTrue(plain.out().contains("skipped 1")
                && Files.exists(out().resolve(".lightly/ingest/records/farm/img-0.jpg.json")),
                "without --prune nothing is removed: " + plain.both());
        assertEquals(0, dry.exit(), dry.both());
        assertTrue(dry.out().contains("would remove farm/img-0.jpg: record and thumbnail "
                + ".lightly/thumbnails/farm/img-0_thumb.jpg; sample " + sampleId + " would be marked removed"),
                dry.both());
        assertTrue(dry.out().contains("prune (dry run): 1 records whose object is gone; nothing removed"), dry.both());
        assertTrue(Files.exists(out().resolve(".lightly/ingest/records/farm/img-0.jpg.json")), "dry run");

        CliRun prune = ingest(moto, lightly.datasetId(), "--prune");

        assertEquals(0, prune.exit(), prune.both());
        assertTrue(prune.out().contains("removed 1"), prune.both());
        assertFalse(Files.exists(out().resolve(".lightly/ingest/records/farm/img-0.jpg.json")));
        assertFalse(Files.exists(out().resolve(".lightly/thumbnails/farm/img-0_thumb.jpg")));
        assertTrue(Files.exists(out().resolve(".lightly/ingest/records/farm/img-1.jpg.json")), "the other stays");
        assertEquals(0, claims() - 1, "only the other image's claim is left");
        JsonNode note = Json.MAPPER.readTree(out().resolve(".lightly/ingest/removed/farm/img-0.jpg.json").toFile());
        assertEquals(sampleId, note.get("lightlySampleId").asText());
        assertEquals(lightly.datasetId(), note.get("lightlyDatasetId").asText());
        assertEquals("farm/img-0.jpg", note.get("fileName").asText());
        JsonNode marked = lightly.samplesByFileName().get("farm/img-0.jpg").request().get("customMetaData");
        assertTrue(marked.at("/s3/removed").asBoolean(), String.valueOf(marked));
        assertEquals(note.get("removedAt").asText(), marked.at("/s3/removedAt").asText());

        Files.write(in.resolve("farm/img-0.jpg"), bytes);
        CliRun recreated = ingest(moto, lightly.datasetId());

        assertEquals(0, recreated.exit(), recreated.both());
        assertTrue(recreated.out().contains("ingested 1,"), recreated.both());
        assertEquals(Map.of("farm/img-0.jpg", 1, "farm/img-1.jpg", 1), lightly.samplesPerFileName(lightly.datasetId()));
        assertEquals(sampleId, record("farm/img-0.jpg").get("lightlySampleId").asText());
        JsonNode cleared = lightly.samplesByFileName().get("farm/img-0.jpg").request().get("customMetaData");
        assertFalse(cleared.has("s3"), "the mark is cleared: " + cleared);
        assertFalse(Files.exists(out().resolve(".lightly/ingest/removed/farm/img-0.jpg.json")));
    }

    @Test
    void aTokenWithPlusSlashAndEqualsIsNeverPrintedRawOrUrlEncoded(MotoServer moto) throws IOException {
        images(2);
        lightly.close();
        lightly = LightlyApiStub.start("to+ken/x=y==");
        Map<String, String> wrongEnv = Map.of("LIGHTLY_TOKEN", "wr+ong/t=k==", "LIGHTLY_SERVER_LOCATION",
                lightly.baseUri().toString());

        CliRun good = ingest(moto, lightly.datasetId(), "--verbose");
        CliRun wrong = CliRun.run(moto.clients(), wrongEnv, "ingest", "--input", in().toString(), "--output",
                tmp.resolve("out2").toString(), "--lightly-dataset-id", lightly.datasetId(), "--verbose");

        assertEquals(0, good.exit(), good.both());
        assertEquals(2, lightly.samplesByFileName().size());
        assertEquals(Main.EXIT_SYSTEMIC, wrong.exit(), wrong.both());
        assertTrue(wrong.err().contains("401"), wrong.both());
        for (String token : List.of("to+ken/x=y==", "wr+ong/t=k==")) {
            String encoded = java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
            for (String form : List.of(token, encoded, encoded.toLowerCase(java.util.Locale.ROOT))) {
                assertFalse(good.both().contains(form), form);
                assertFalse(wrong.both().contains(form), form + " in " + wrong.both());
            }
        }
    }
}
