package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.image.AnalysisOptions;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlySample;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.lightly.SampleUpdateRequest;
import io.github.lightlys3ingest.storage.ForwardingStore;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {
    @TempDir
    Path tmp;
    Path in;
    Path out;
    RecordingSink sink = new RecordingSink();
    LocalObjectStore input;
    LocalObjectStore output;

    @BeforeEach
    void setUp() throws IOException {
        in = Files.createDirectories(tmp.resolve("in"));
        out = Files.createDirectories(tmp.resolve("out"));
        input = new LocalObjectStore(in);
        output = new LocalObjectStore(out);
    }

    private IngestPipeline pipeline(UploadMode mode, Clock clock) {
        AnalysisOptions analysis = new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "jpg",
                mode == UploadMode.THUMBNAILS);
        IngestOptions options = new IngestOptions(mode, new ThumbSuffix(ThumbSuffix.DEFAULT), 10L * 1024 * 1024,
                Duration.ofMinutes(15));
        return new IngestPipeline(input, output, sink, new ImageAnalyzer(analysis), options, clock);
    }

    private IngestPipeline pipeline() {
        return pipeline(UploadMode.THUMBNAILS, Clock.systemUTC());
    }

    private ObjectInfo copySample(String sample, String key) throws IOException {
        Path target = in.resolve(key);
        Files.createDirectories(target.getParent());
        try (InputStream s = getClass().getResourceAsStream("/images/" + sample)) {
            Files.copy(s, target);
        }
        return input.head(key).orElseThrow();
    }

    private JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(Files.readAllBytes(file));
    }

    @Test
    void ingestingAnImageWritesThumbnailRecordAndOneSample() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "cows/IMG 1.jpg");

        Outcome outcome = pipeline().process(info);

        assertEquals(Outcome.Status.INGESTED, outcome.status());
        assertEquals(1, sink.requests.size());
        assertEquals("cows/IMG 1.jpg", sink.requests.get(0).fileName());
        assertEquals(".lightly/thumbnails/cows/IMG 1_thumb.jpg", sink.requests.get(0).thumbName());
        Path thumb = out.resolve(".lightly/thumbnails/cows/IMG 1_thumb.jpg");
        BufferedImage decoded = ImageIO.read(thumb.toFile());
        assertNotNull(decoded, "thumbnail must decode");
        assertTrue(decoded.getWidth() <= 128 && decoded.getHeight() <= 128);
        assertEquals(128, Math.max(decoded.getWidth(), decoded.getHeight()));

        JsonNode record = json(out.resolve(".lightly/ingest/records/cows/IMG 1.jpg.json"));
        assertEquals("cows/IMG 1.jpg", record.get("fileName").asText());
        assertEquals(info.eTag(), record.at("/source/eTag").asText());
        assertEquals(in.toString(), record.at("/source/dir").asText());
        assertEquals(sink.ids.get("cows/IMG 1.jpg"), record.get("lightlySampleId").asText());
        assertEquals(".lightly/thumbnails/cows/IMG 1_thumb.jpg", record.at("/thumbnail/key").asText());
        assertEquals("image/jpeg", record.at("/thumbnail/contentType").asText());
        assertEquals(decoded.getWidth(), record.at("/thumbnail/width").asInt());
        assertEquals(Files.size(in.resolve("cows/IMG 1.jpg")),
                record.at("/sampleCreateRequest/metaData/sizeInBytes").asLong());
        assertEquals("EASTMAN KODAK COMPANY", record.at("/sampleCreateRequest/exif/Make").asText());
        assertTrue(record.has("ingestedAt"));
        assertTrue(Files.exists(out.resolve(OutputLayout.claimKey("cows/IMG 1.jpg", sourceOf(info)))),
                "the claim stays as the mark that this version was taken on");
    }

    @Test
    void secondRunSkipsAnObjectWhoseRecordIsCurrent() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        pipeline().process(info);

        Outcome again = pipeline().process(info);

        assertEquals(Outcome.Status.SKIPPED, again.status());
        assertEquals(1, sink.requests.size());
    }

    @Test
    void changedObjectUpdatesItsSampleInsteadOfCreatingASecond() throws IOException {
        ObjectInfo first = copySample("Kodak_DX4330.jpg", "a.jpg");
        String sampleId = pipeline().process(first).sampleId();
        Files.delete(in.resolve("a.jpg"));
        ObjectInfo changed = copySample("FujiFilm_MX1700.jpg", "a.jpg");

        Outcome outcome = pipeline().process(changed);

        assertEquals(Outcome.Status.INGESTED, outcome.status());
        assertEquals(sampleId, outcome.sampleId());
        assertEquals(1, sink.requests.size(), "one creation");
        assertEquals(1, sink.updates.size(), "one update");
        JsonNode record = json(out.resolve(OutputLayout.recordKey("a.jpg")));
        assertEquals(changed.eTag(), record.at("/source/eTag").asText());
        assertEquals(RecordingSink.DATASET, record.get("lightlyDatasetId").asText());
        assertEquals(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(sink.updates.get(0).metaData())),
                record.at("/sampleCreateRequest/metaData"));
        assertEquals(changed.size(), sink.updates.get(0).metaData().sizeInBytes(), "the new version's statistics");
        assertEquals(Json.MAPPER.convertValue(record.at("/sampleCreateRequest/customMetaData"), Map.class),
                sink.updates.get(0).customMetaData(),
                "the new version's custom metadata (EXIF by default) replaces the old");
        assertEquals("FUJIFILM", record.at("/sampleCreateRequest/customMetaData/exif/make").asText());
    }

    @Test
    void aDryRunRecordNeverBlocksARunWithADataset() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        IngestOptions options = new IngestOptions(UploadMode.THUMBNAILS, new ThumbSuffix(ThumbSuffix.DEFAULT),
                10L * 1024 * 1024, Duration.ofMinutes(15));
        IngestPipeline dryRun = new IngestPipeline(input, output, SampleSink.DRY_RUN,
                new ImageAnalyzer(AnalysisOptions.defaults()), options, Clock.systemUTC());
        assertEquals(Outcome.Status.INGESTED, dryRun.process(info).status());
        assertFalse(json(out.resolve(OutputLayout.recordKey("a.jpg"))).has("lightlyDatasetId"));

        Outcome real = pipeline().process(info);

        assertEquals(Outcome.Status.INGESTED, real.status(), "the dry run's claim does not stand in the way");
        assertEquals(1, sink.requests.size());
        assertEquals(0, sink.lookups.get(), "nothing to look up: the dry run sent nothing");
        assertEquals(RecordingSink.DATASET, json(out.resolve(OutputLayout.recordKey("a.jpg"))).get("lightlyDatasetId")
                .asText());
        assertEquals(Outcome.Status.SKIPPED, pipeline().process(info).status());
        assertEquals(Outcome.Status.SKIPPED, dryRun.process(info).status(), "a dry run takes any record");
    }

    @Test
    void eventOfAnOverwrittenVersionIsSupersededAndWritesNothing() throws IOException {
        ObjectInfo old = copySample("Kodak_DX4330.jpg", "a.jpg");
        Files.delete(in.resolve("a.jpg"));
        copySample("FujiFilm_MX1700.jpg", "a.jpg");

        Outcome outcome = pipeline().process(old);

        assertEquals(Outcome.Status.SUPERSEDED, outcome.status());
        assertTrue(sink.requests.isEmpty() && sink.updates.isEmpty());
        try (var files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no record, thumbnail or claim");
        }
    }

    @Test
    void metadataModeWritesNoThumbnailAndSendsNoThumbName() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");

        pipeline(UploadMode.METADATA, Clock.systemUTC()).process(info);

        assertNull(sink.requests.get(0).thumbName());
        assertFalse(Files.exists(out.resolve(".lightly/thumbnails")));
        JsonNode record = json(out.resolve(OutputLayout.recordKey("a.jpg")));
        assertFalse(record.has("thumbnail"));
        assertFalse(record.get("sampleCreateRequest").has("thumbName"));
    }

    @Test
    void badBytesBecomeARejectionRecordAndNoSample() throws IOException {
        Files.writeString(in.resolve("notes.jpg"), "this is text, not a JPEG", StandardCharsets.UTF_8);

        Outcome outcome = pipeline().process(input.head("notes.jpg").orElseThrow());

        assertEquals(Outcome.Status.REJECTED, outcome.status());
        assertEquals("unsupported_format", outcome.reason().code());
        assertTrue(sink.requests.isEmpty());
        JsonNode rejection = json(out.resolve(OutputLayout.rejectionKey("notes.jpg")));
        assertEquals("unsupported_format", rejection.get("reason").asText());
        assertEquals("notes.jpg", rejection.get("fileName").asText());
        assertTrue(rejection.has("detail"));
        assertEquals(Outcome.Status.SKIPPED, pipeline().process(input.head("notes.jpg").orElseThrow()).status(),
                "a current rejection is not retried");
    }

    @Test
    void fixedObjectReplacesItsRejectionWithARecord() throws IOException {
        Files.writeString(in.resolve("a.jpg"), "broken");
        pipeline().process(input.head("a.jpg").orElseThrow());
        Files.delete(in.resolve("a.jpg"));
        ObjectInfo fixed = copySample("Kodak_DX4330.jpg", "a.jpg");

        assertEquals(Outcome.Status.INGESTED, pipeline().process(fixed).status());
        assertFalse(Files.exists(out.resolve(OutputLayout.rejectionKey("a.jpg"))));
    }

    @Test
    void objectAboveTheByteLimitIsRejectedTooLarge() throws IOException {
        Files.write(in.resolve("big.jpg"), new byte[11 * 1024 * 1024]);

        Outcome outcome = pipeline().process(input.head("big.jpg").orElseThrow());

        assertEquals("too_large", outcome.reason().code());
    }

    @Test
    void fileNameWithACommaIsRejectedAsLightlyRefusesIt() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a,b.jpg");

        assertEquals("invalid_name", pipeline().process(info).reason().code());
        assertTrue(sink.requests.isEmpty());
    }

    @Test
    void objectDeletedBeforeReadingIsSuperseded() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        Files.delete(in.resolve("a.jpg"));

        Outcome outcome = pipeline().process(info);

        assertEquals(Outcome.Status.SUPERSEDED, outcome.status());
        assertTrue(outcome.done(), "the removal's own event does the rest");
        assertTrue(sink.requests.isEmpty());
    }

    @Test
    void freshClaimOfAnotherWorkerMakesTheObjectBusy() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        byte[] claim = Json.MAPPER.writeValueAsBytes(new IngestPipeline.Claim("other", null, now.minusSeconds(60),
                RecordingSink.DATASET));
        output.put(OutputLayout.claimKey("a.jpg", sourceOf(info)), claim, "application/json");

        Outcome outcome = pipeline(UploadMode.THUMBNAILS, Clock.fixed(now, ZoneOffset.UTC)).process(info);

        assertEquals(Outcome.Status.BUSY, outcome.status());
        assertFalse(outcome.done());
        assertTrue(sink.requests.isEmpty());
        assertTrue(Files.exists(out.resolve(OutputLayout.claimKey("a.jpg", sourceOf(info)))),
                "someone else's claim is left alone");
    }

    @Test
    void staleClaimIsTakenOverAndTheSampleTheDeadWorkerCreatedIsReused() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        byte[] claim = Json.MAPPER.writeValueAsBytes(new IngestPipeline.Claim("dead", null, now.minusSeconds(3600),
                RecordingSink.DATASET));
        output.put(OutputLayout.claimKey("a.jpg", sourceOf(info)), claim, "application/json");
        sink.ids.put("a.jpg", "0123456789abcdef01234567");

        Outcome outcome = pipeline(UploadMode.THUMBNAILS, Clock.fixed(now, ZoneOffset.UTC)).process(info);

        assertEquals(Outcome.Status.INGESTED, outcome.status());
        assertEquals("0123456789abcdef01234567", outcome.sampleId());
        assertEquals(1, sink.lookups.get());
        assertTrue(sink.requests.isEmpty(), "no second sample for the same file");
    }

    @Test
    void ofTwoWorkersFindingOneStaleClaimOnlyOneTakesItOver() throws Exception {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        String claimKey = OutputLayout.claimKey("a.jpg", sourceOf(info));
        output.put(claimKey, Json.MAPPER.writeValueAsBytes(new IngestPipeline.Claim("dead", null,
                now.minusSeconds(3600), null)), "application/json");
        Files.setLastModifiedTime(out.resolve(claimKey), java.nio.file.attribute.FileTime.from(now.minusSeconds(3600)));
        // Both workers have read the stale claim before either writes: the moment delete-then-create let both win.
        java.util.concurrent.CyclicBarrier bothSawIt = new java.util.concurrent.CyclicBarrier(2);
        ForwardingStore racing = new ForwardingStore(output) {
            @Override
            public boolean replaceIfMatch(String key, String eTag, byte[] bytes, String type) throws IOException {
                try {
                    bothSawIt.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("the other worker never came", e);
                }
                return super.replaceIfMatch(key, eTag, bytes, type);
            }
        };
        IngestOptions options = new IngestOptions(UploadMode.THUMBNAILS, new ThumbSuffix(ThumbSuffix.DEFAULT),
                10L * 1024 * 1024, Duration.ofMinutes(15));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Outcome>> results = new ArrayList<>();
            for (int worker = 0; worker < 2; worker++) {
                IngestPipeline pipeline = new IngestPipeline(input, racing, sink,
                        new ImageAnalyzer(AnalysisOptions.defaults()), options, clock);
                results.add(pool.submit((Callable<Outcome>) () -> pipeline.process(info)));
            }
            List<Outcome.Status> statuses = new ArrayList<>();
            for (Future<Outcome> result : results) {
                statuses.add(result.get().status());
            }
            statuses.sort(null);
            assertEquals(List.of(Outcome.Status.INGESTED, Outcome.Status.BUSY), statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sink.lookups.get(), "one takeover");
        assertEquals(1, sink.requests.size(), "one sample");
    }

    @Test
    void concurrentDeliveriesOfOneObjectCreateOneSample() throws Exception {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        IngestPipeline pipeline = pipeline();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Outcome>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<Outcome>) () -> pipeline.process(info)));
            }
            int ingested = 0;
            for (Future<Outcome> r : results) {
                Outcome o = r.get();
                ingested += o.status() == Outcome.Status.INGESTED ? 1 : 0;
                assertTrue(o.status() != Outcome.Status.REJECTED);
            }
            assertEquals(1, ingested);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sink.requests.size());
    }

    @Test
    void aFailedAttemptReleasesItsClaimSoTheRetryProceedsAtOnce() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        SampleSink unreachable = new SampleSink() {
            @Override
            public Optional<String> datasetId() {
                return Optional.of(RecordingSink.DATASET);
            }

            @Override
            public Optional<String> createSample(SampleCreateRequest request) throws IOException {
                throw new IOException("Lightly unreachable");
            }

            @Override
            public Optional<String> findSample(String fileName) {
                return Optional.empty();
            }

            @Override
            public Optional<LightlySample> getSample(String sampleId) {
                return Optional.empty();
            }

            @Override
            public void updateSample(String sampleId, SampleUpdateRequest request) {
            }
        };
        IngestPipeline failing = new IngestPipeline(input, output, unreachable,
                new ImageAnalyzer(AnalysisOptions.defaults()), new IngestOptions(UploadMode.THUMBNAILS,
                        new ThumbSuffix(ThumbSuffix.DEFAULT), 10L * 1024 * 1024, Duration.ofMinutes(15)),
                Clock.systemUTC());

        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> failing.process(info));

        assertFalse(Files.exists(out.resolve(OutputLayout.claimKey("a.jpg", sourceOf(info)))));
        assertEquals(Outcome.Status.INGESTED, pipeline().process(info).status());
    }

    private SourceRef sourceOf(ObjectInfo info) {
        return new SourceRef(null, in.toString(), info.key(), info.eTag(), info.versionId());
    }

    @Test
    void analysisPermitsAreGivenBackAfterEveryAnalysisAcceptedOrRejected() throws IOException {
        ObjectInfo good = copySample("Kodak_DX4330.jpg", "good.jpg");
        Files.write(in.resolve("bad.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
        ObjectInfo bad = input.head("bad.jpg").orElseThrow();
        Semaphore permits = new Semaphore(1);
        IngestPipeline bounded = pipeline().withAnalysisPermits(permits);

        assertEquals(Outcome.Status.INGESTED, bounded.process(good).status());
        assertEquals(Outcome.Status.REJECTED, bounded.process(bad).status());

        assertEquals(1, permits.availablePermits());
        assertEquals(1, sink.requests.size());
    }

    @Test
    void anObjectInterruptedWhileWaitingForAnAnalysisPermitFailsAndReleasesItsClaim() throws Exception {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");
        Semaphore none = new Semaphore(0);
        IngestPipeline noPermits = pipeline().withAnalysisPermits(none);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Future<Outcome> waiting = worker.submit(() -> noPermits.process(info));
            while (!none.hasQueuedThreads()) {
                Thread.onSpinWait();
            }
            assertTrue(Files.exists(out.resolve(OutputLayout.claimKey("a.jpg", sourceOf(info)))),
                    "claimed before waiting for the CPU");

            waiting.cancel(true);
            worker.shutdown();
            assertTrue(worker.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES));
        } finally {
            worker.shutdownNow();
        }

        assertFalse(Files.exists(out.resolve(OutputLayout.claimKey("a.jpg", sourceOf(info)))));
        assertTrue(sink.requests.isEmpty());
        assertEquals(Outcome.Status.INGESTED, pipeline().process(info).status());
    }

    @Test
    void previewReturnsTheRecordWithoutWriting() throws IOException {
        ObjectInfo info = copySample("Kodak_DX4330.jpg", "a.jpg");

        Object preview = pipeline().preview(info);

        assertTrue(preview instanceof IngestRecord);
        assertNull(((IngestRecord) preview).lightlySampleId());
        try (var files = Files.list(out)) {
            assertEquals(0, files.count());
        }
        assertTrue(sink.requests.isEmpty());
    }
}
