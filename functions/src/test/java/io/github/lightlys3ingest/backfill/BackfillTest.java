package io.github.lightlys3ingest.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.IngestRecord;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.pipeline.Rejection;
import io.github.lightlys3ingest.pipeline.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backfill core against an in-memory datasource and queue. */
class BackfillTest {
    private static final String BUCKET = "datalake";
    private static final String ROOT = "projects/farm-animals/";
    private static final Duration MARGIN = Duration.ofSeconds(60);
    private static final LongSupplier PLENTY_OF_TIME = () -> Long.MAX_VALUE;
    private static final Continuation NEVER = next -> {
        throw new AssertionError("no hand-off expected");
    };

    private final IngestSettings settings = IngestSettings.parse(Map.of(
            EnvironmentVariable.INPUT_URI.key(), "s3://" + BUCKET + "/" + ROOT,
            EnvironmentVariable.OUTPUT_URI.key(), "s3://lightly-out/farm-animals/")::get);
    private final InMemoryObjectStore input = new InMemoryObjectStore("s3://" + BUCKET + "/" + ROOT);
    private final InMemoryObjectStore output = new InMemoryObjectStore("s3://lightly-out/farm-animals/");
    private final RecordingEnqueuer queue = new RecordingEnqueuer();
    private final List<String> log = new ArrayList<>();
    private final Backfill backfill = new Backfill(settings, input, output, queue, "eu-west-1", 4, MARGIN,
            Clock.fixed(Instant.parse("2026-03-14T09:26:53.123Z"), ZoneOffset.UTC), log::add);

    @AfterEach
    void close() {
        backfill.close();
    }

    private void putInput(String relativeKey) {
        input.put(relativeKey, relativeKey.getBytes(StandardCharsets.UTF_8), "image/jpeg");
    }

    private static BackfillRequest request(String prefix, String startAfter, Long maxObjects, boolean dryRun) {
        return new BackfillRequest(BUCKET, prefix, startAfter, maxObjects, dryRun);
    }

    /** Runs a state and its continuations in-process until the run ends; the time runs short every few chunks. */
    private List<BackfillResult> runToEnd(BackfillState start, int chunksPerInvocation) throws IOException {
        List<BackfillResult> results = new ArrayList<>();
        List<BackfillState> handedOff = new ArrayList<>();
        BackfillState state = start;
        while (true) {
            AtomicInteger checks = new AtomicInteger();
            LongSupplier remaining =
                    () -> checks.incrementAndGet() >= chunksPerInvocation ? MARGIN.toMillis() - 1 : 600_000;
            BackfillResult result = backfill.run(state, remaining, handedOff::add);
            results.add(result);
            if (result.status() != BackfillResult.Status.HANDED_OFF) {
                assertEquals(results.size() - 1, handedOff.size(), "one hand-off per continued invocation");
                return results;
            }
            assertEquals(result.state(), handedOff.get(handedOff.size() - 1),
                    "the continuation gets the returned state");
            state = handedOff.get(handedOff.size() - 1);
        }
    }

    @Test
    void everyIngestableObjectUnderThePrefixIsEnqueuedExactlyOnceAcrossContinuations() throws IOException {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1234; i++) {
            String key = String.format("cows/%04d %s.jpg", i, i % 7 == 0 ? "a+b" : "img");
            putInput(key);
            expected.add(ROOT + key);
        }
        putInput("cows/.lightly/thumbnails/0001_thumb.jpg");
        putInput("cows/sub/.lightly/x.jpg");
        putInput("cows/folder/"); // a console "folder" marker
        putInput("pigs/0001.jpg"); // inside the input root, outside the requested prefix
        putInput("cowshed.jpg");   // shares the prefix text without the slash: outside "cows/"

        List<BackfillResult> results = runToEnd(BackfillState.start(request(ROOT + "cows/", null, null, false)), 3);

        List<String> keys = queue.keys();
        assertEquals(expected.size(), keys.size(), "no duplicates");
        assertEquals(expected, new HashSet<>(keys));
        assertTrue(results.size() >= 4, "several continuations: " + results.size());
        BackfillResult last = results.get(results.size() - 1);
        assertEquals(BackfillResult.Status.COMPLETE, last.status());
        BackfillProgress p = last.state().progress();
        assertEquals(1234 + 3, p.listed());
        assertEquals(1234, p.enqueued());
        assertEquals(3, p.skippedIgnored());
        assertEquals(0, p.skippedCurrent());
        assertEquals(results.size() - 1, p.continuations());
        assertEquals(2L * 1234, p.recordReads(), "a record and a rejection looked up per new object");
        assertEquals(queue.batches.size(), p.sendBatches());
        assertTrue(queue.batches.stream().allMatch(b -> b.size() <= Enqueuer.MAX_BATCH));
        assertEquals(List.copyOf(new java.util.TreeSet<>(keys)), keys, "enqueued in key order");
    }

    @Test
    void continuationsResumeAfterTheLastKeyOfTheLastSentBatch() throws IOException {
        for (int i = 0; i < 250; i++) {
            putInput(String.format("%03d.jpg", i));
        }
        List<BackfillState> handedOff = new ArrayList<>();
        BackfillResult first = backfill.run(BackfillState.start(request(null, null, null, false)),
                () -> MARGIN.toMillis() - 1, handedOff::add);

        assertEquals(BackfillResult.Status.HANDED_OFF, first.status());
        assertEquals(ROOT + "099.jpg", first.state().resumeAfter(), "one chunk per invocation at least");
        assertEquals(100, queue.keys().size());
        assertEquals(ROOT + "099.jpg", queue.keys().get(99));
        assertEquals(1, first.state().progress().continuations());
        assertTrue(log.stream().anyMatch(line -> line.contains("\"phase\":\"continued\"")));
    }

    @Test
    void everyLogLineOfARunCarriesTheFieldsItWasGiven() throws IOException {
        putInput("a.jpg");

        backfill.run(BackfillState.start(request(null, null, null, false)), () -> Long.MAX_VALUE, next -> { },
                Map.of("requestId", "req-42"));

        assertFalse(log.isEmpty());
        for (String line : log) {
            assertEquals("req-42", Json.MAPPER.readTree(line).path("requestId").asText(), line);
        }
    }

    @Test
    void objectsWhoseRecordOrRejectionNamesTheirCurrentETagAreNotEnqueued() throws IOException {
        for (String key : List.of("current.jpg", "stale.jpg", "rejected.jpg", "staleRejection.jpg", "garbled.jpg",
                "new.jpg", "otherKey.jpg")) {
            putInput(key);
        }
        record("current.jpg", ROOT + "current.jpg", etagOf("current.jpg"));
        record("stale.jpg", ROOT + "stale.jpg", "0123456789abcdef0123456789abcdef");
        reject("rejected.jpg", ROOT + "rejected.jpg", etagOf("rejected.jpg"));
        reject("staleRejection.jpg", ROOT + "staleRejection.jpg", "fedcba");
        output.put(OutputLayout.recordKey("garbled.jpg"), "{not json".getBytes(StandardCharsets.UTF_8), null);
        record("otherKey.jpg", ROOT + "elsewhere/otherKey.jpg", etagOf("otherKey.jpg"));

        BackfillResult result =
                backfill.run(BackfillState.start(request(null, null, null, false)), PLENTY_OF_TIME, NEVER);

        assertEquals(Set.of(ROOT + "stale.jpg", ROOT + "staleRejection.jpg", ROOT + "garbled.jpg", ROOT + "new.jpg",
                ROOT + "otherKey.jpg"), new HashSet<>(queue.keys()));
        assertEquals(2, result.state().progress().skippedCurrent());
        assertEquals(5, result.state().progress().enqueued());
    }

    @Test
    void reRunningAfterIngestionEnqueuesOnlyWhatChanged() throws IOException {
        for (int i = 0; i < 30; i++) {
            putInput(i + ".jpg");
        }
        backfill.run(BackfillState.start(request(null, null, null, false)), PLENTY_OF_TIME, NEVER);
        // What the ingestion function would have written for each enqueued object:
        for (String key : queue.keys()) {
            String fileName = key.substring(ROOT.length());
            record(fileName, key, etagOf(fileName));
        }
        input.put("7.jpg", "new content".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        queue.batches.clear();

        BackfillResult again =
                backfill.run(BackfillState.start(request(null, null, null, false)), PLENTY_OF_TIME, NEVER);

        assertEquals(List.of(ROOT + "7.jpg"), queue.keys());
        assertEquals(29, again.state().progress().skippedCurrent());
    }

    @Test
    void dryRunCountsButSendsNothing() throws IOException {
        for (int i = 0; i < 42; i++) {
            putInput(i + ".jpg");
        }
        putInput(".lightly/ingest/records/x.jpg.json");

        BackfillResult result =
                backfill.run(BackfillState.start(request(null, null, null, true)), PLENTY_OF_TIME, NEVER);

        assertTrue(queue.batches.isEmpty());
        assertEquals(42, result.state().progress().enqueued());
        assertEquals(0, result.state().progress().sendBatches());
        assertEquals(1, result.state().progress().skippedIgnored());
        assertTrue(log.get(log.size() - 1).contains("\"dryRun\":true"));
    }

    @Test
    void maxObjectsStopsAfterThatManyEvenAcrossContinuationsAndTheResumePointContinuesExactly() throws IOException {
        for (int i = 0; i < 500; i++) {
            putInput(String.format("%03d.jpg", i));
        }
        List<BackfillResult> results = runToEnd(BackfillState.start(request(null, null, 237L, false)), 1);

        BackfillResult last = results.get(results.size() - 1);
        assertEquals(BackfillResult.Status.LIMIT_REACHED, last.status());
        assertEquals(3, results.size());
        assertEquals(237, queue.keys().size());
        assertEquals(ROOT + "236.jpg", last.state().resumeAfter());
        assertEquals(237, last.state().progress().listed(), "nothing after the resume point is counted");

        backfill.run(BackfillState.start(request(null, last.state().resumeAfter(), null, false)), PLENTY_OF_TIME,
                NEVER);
        List<String> all = queue.keys();
        assertEquals(500, all.size());
        assertEquals(500, new HashSet<>(all).size());
    }

    @Test
    void aDuplicateDeliveryOfAContinuationDoesNothing() throws IOException {
        for (int i = 0; i < 300; i++) {
            putInput(String.format("%03d.jpg", i));
        }
        List<BackfillState> handedOff = new ArrayList<>();
        backfill.run(BackfillState.start(request(null, null, null, false)), () -> 0, handedOff::add);
        BackfillState continuation = handedOff.get(0);

        BackfillResult first = backfill.run(continuation, PLENTY_OF_TIME, NEVER);
        int sent = queue.keys().size();
        BackfillResult duplicate = backfill.run(continuation, PLENTY_OF_TIME, NEVER);

        assertEquals(BackfillResult.Status.COMPLETE, first.status());
        assertEquals(BackfillResult.Status.DUPLICATE, duplicate.status());
        assertEquals(300, sent);
        assertEquals(sent, queue.keys().size());
        assertTrue(output.contains(Backfill.CLAIMS + continuation.runId() + "/1.json"));
    }

    @Test
    void aFailedInvocationReportsItsResumePointAndReleasesItsClaimForTheRetry() throws IOException {
        for (int i = 0; i < 300; i++) {
            putInput(String.format("%03d.jpg", i));
        }
        List<BackfillState> handedOff = new ArrayList<>();
        backfill.run(BackfillState.start(request(null, null, null, false)), () -> 0, handedOff::add);
        BackfillState continuation = handedOff.get(0);
        queue.failFromBatch = 15; // the 5th batch of the continuation

        IOException failure = assertThrows(IOException.class, () -> backfill.run(continuation, PLENTY_OF_TIME, NEVER));

        assertTrue(failure.getMessage().contains("queue unavailable"));
        JsonNode failed = Json.MAPPER.readTree(log.get(log.size() - 1));
        assertEquals("failed", failed.path("phase").asText());
        assertEquals(ROOT + "139.jpg", failed.path("resumeAfter").asText());
        assertFalse(output.contains(Backfill.CLAIMS + continuation.runId() + "/1.json"));
        queue.failFromBatch = Integer.MAX_VALUE;
        assertEquals(BackfillResult.Status.COMPLETE, backfill.run(continuation, PLENTY_OF_TIME, NEVER).status());
    }

    @Test
    void progressLinesAreJsonWithTheCounters() throws IOException {
        for (int i = 0; i < 2500; i++) {
            putInput(String.format("%04d.jpg", i));
        }
        backfill.run(BackfillState.start(request(null, null, null, true)), PLENTY_OF_TIME, NEVER);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : log) {
            lines.add(Json.MAPPER.readTree(line));
        }
        assertEquals(List.of("started", "progress", "progress", "finished"),
                lines.stream().map(l -> l.path("phase").asText()).toList());
        JsonNode end = lines.get(3);
        assertEquals("backfill", end.path("event").asText());
        assertEquals("complete", end.path("status").asText());
        assertEquals(2500, end.path("listed").asLong());
        assertEquals(ROOT + "2499.jpg", end.path("resumeAfter").asText());
        assertNull(lines.get(0).path("resumeAfter").textValue());
    }

    @Test
    void requestsThatDoNotFitTheConfigurationAreRefusedNamingTheField() {
        assertRefused(new BackfillRequest("other-bucket", ROOT, null, null, false),
                "bucket 'other-bucket' is not the configured input bucket 'datalake'");
        assertRefused(request("projects/", null, null, false),
                "prefix 'projects/' is not inside the configured input prefix");
        assertRefused(request(ROOT + "cows/", ROOT + "pigs/1.jpg", null, false), "startAfter");
        assertRefused(request(null, null, 0L, false), "maxObjects must be at least 1");
        assertTrue(queue.batches.isEmpty());
    }

    @Test
    void anEmptyPayloadBackfillsTheWholeConfiguredInput() {
        BackfillRequest all = BackfillRequest.fromJson("{}".getBytes(StandardCharsets.UTF_8)).validated(
                io.github.lightlys3ingest.storage.DatasourceUri.parse("s3://datalake/" + ROOT));
        assertEquals("datalake", all.bucket());
        assertEquals(ROOT, all.prefix());
        assertEquals(Boolean.FALSE, all.dryRun());
    }

    @Test
    void aPayloadWithAMisspeltFieldIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackfillRequest.fromJson(
                "{\"bucket\":\"datalake\",\"maxobjects\":5}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("unknown field 'maxobjects'"), e.getMessage());
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> BackfillRequest.fromJson(
                        "{\"bucket\":\"datalake\",\"maxObjects\":\"many\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notANumber.getMessage().startsWith("the backfill payload is not valid"), notANumber.getMessage());
    }

    @Test
    void settingsNameEveryBadVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackfillSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "/data/images",
                EnvironmentVariable.OUTPUT_URI.key(), "s3://out/x/")::get));
        assertTrue(e.getMessage().contains("INPUT_URI='/data/images': a backfill needs an s3://bucket/prefix/ input"),
                e.getMessage());
        assertTrue(e.getMessage().contains("INGEST_QUEUE_URL is required"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> BackfillSettings.parse(
                Map.of(EnvironmentVariable.INGEST_QUEUE_URL.key(), "sqs-queue")::get));
        assertTrue(missing.getMessage().contains("INPUT_URI is required"), missing.getMessage());
        assertTrue(missing.getMessage().contains("INGEST_QUEUE_URL='sqs-queue'"), missing.getMessage());
    }

    private void assertRefused(BackfillRequest request, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backfill.run(BackfillState.start(request), PLENTY_OF_TIME, NEVER));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private String etagOf(String relativeKey) {
        return InMemoryObjectStore.eTag(relativeKey.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withADatasetOnlyRecordsOfThatDatasetCountAsCurrent() throws IOException {
        IngestSettings withDataset = IngestSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + BUCKET + "/" + ROOT,
                EnvironmentVariable.OUTPUT_URI.key(), "s3://lightly-out/farm-animals/",
                EnvironmentVariable.LIGHTLY_DATASET_ID.key(), "0123456789abcdef01234567")::get);
        for (String name : List.of("dry.jpg", "other.jpg", "ours.jpg", "rejected.jpg")) {
            putInput("cows/" + name);
        }
        record("cows/dry.jpg", ROOT + "cows/dry.jpg", etagOf("cows/dry.jpg"));
        recordIn("cows/other.jpg", "fedcba9876543210fedcba98");
        recordIn("cows/ours.jpg", "0123456789abcdef01234567");
        reject("cows/rejected.jpg", ROOT + "cows/rejected.jpg", etagOf("cows/rejected.jpg"));

        try (Backfill real = new Backfill(withDataset, input, output, queue, "eu-west-1", 4, MARGIN, Clock.systemUTC(),
                log::add)) {
            real.run(BackfillState.start(request(ROOT, null, null, false)), PLENTY_OF_TIME, NEVER);
        }

        assertEquals(Set.of(ROOT + "cows/dry.jpg", ROOT + "cows/other.jpg"), new HashSet<>(queue.keys()),
                "a dry-run record and one of another dataset do not block; a rejection does");
    }

    private void recordIn(String fileName, String datasetId) throws IOException {
        IngestRecord record = new IngestRecord(fileName, new SourceRef(BUCKET, null, ROOT + fileName, etagOf(fileName),
                null), "jpeg", null, null, 1, "aaaaaaaaaaaaaaaaaaaaaaaa", datasetId, Instant.now());
        output.put(OutputLayout.recordKey(fileName), Json.MAPPER.writeValueAsBytes(record), "application/json");
    }

    private void record(String fileName, String fullKey, String eTag) throws IOException {
        IngestRecord record = new IngestRecord(fileName, new SourceRef(BUCKET, null, fullKey, eTag, null), "jpeg",
                null, null, 1, null, null, Instant.now());
        output.put(OutputLayout.recordKey(fileName), Json.MAPPER.writeValueAsBytes(record), "application/json");
    }

    private void reject(String fileName, String fullKey, String eTag) throws IOException {
        Rejection rejection = new Rejection(fileName, new SourceRef(BUCKET, null, fullKey, eTag, null),
                RejectReason.CORRUPT, "test", Instant.now());
        output.put(OutputLayout.rejectionKey(fileName), Json.MAPPER.writeValueAsBytes(rejection), "application/json");
    }
}
