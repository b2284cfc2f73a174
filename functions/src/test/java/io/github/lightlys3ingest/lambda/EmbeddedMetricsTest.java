package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The invocation's metrics in CloudWatch Embedded Metric Format: one document with the counts and latencies per
 * function, one per rejection reason; each document states its metrics in {@code _aws.CloudWatchMetrics} and
 * carries every metric and dimension it names as a top-level member, as the format requires.
 */
class EmbeddedMetricsTest {
    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Outcome outcome(Outcome.Status status, RejectReason reason, long... stageMillis) {
        Map<String, Long> stages = new LinkedHashMap<>();
        for (int i = 0; i < stageMillis.length; i++) {
            stages.put("stage" + i, stageMillis[i]);
        }
        return new Outcome("cows/a.jpg", status, reason, null, null, 1234, stages);
    }

    private static List<JsonNode> documents(EmbeddedMetrics metrics) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (String line : metrics.documents()) {
            assertTrue(!line.contains("\n"), "one JSON document per log line");
            documents.add(Json.MAPPER.readTree(line));
        }
        return documents;
    }

    /** Every metric and dimension the directive names is a member of the document, as EMF requires. */
    private static void assertWellFormed(JsonNode document) {
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").path(0);
        assertEquals(EmbeddedMetrics.NAMESPACE, directive.path("Namespace").asText());
        assertEquals(NOW.toEpochMilli(), document.path("_aws").path("Timestamp").asLong());
        for (JsonNode dimension : directive.path("Dimensions").path(0)) {
            assertTrue(document.has(dimension.asText()), "dimension " + dimension + " in " + document);
        }
        for (JsonNode metric : directive.path("Metrics")) {
            assertTrue(document.has(metric.path("Name").asText()), "metric " + metric + " in " + document);
        }
        assertEquals("req-1", document.path("requestId").asText(), "joins the invocation's lines: " + document);
        assertFalse(directive.path("Dimensions").toString().contains("requestId"),
                "a property, never a dimension: one metric stream per request would cost a fortune");
    }

    @Test
    void countsEachOutcomeAndSumsTheStagesIntoOneLatencyPerObject() throws Exception {
        EmbeddedMetrics metrics = new EmbeddedMetrics("lightly-ingest", "req-1", CLOCK);
        metrics.add(outcome(Outcome.Status.INGESTED, null, 4, 30, 6));
        metrics.add(outcome(Outcome.Status.INGESTED, null, 5, 20));
        metrics.add(outcome(Outcome.Status.SKIPPED, null, 3));
        metrics.add(outcome(Outcome.Status.BUSY, null, 2));
        metrics.add(outcome(Outcome.Status.REJECTED, RejectReason.CORRUPT, 7));
        metrics.add(outcome(Outcome.Status.REJECTED, RejectReason.CORRUPT, 8));
        metrics.add(outcome(Outcome.Status.REJECTED, RejectReason.TOO_LARGE, 1));
        metrics.failed();

        List<JsonNode> documents = documents(metrics);
        assertEquals(3, documents.size(), "the invocation's document and one per rejection reason");
        JsonNode main = documents.get(0);
        assertWellFormed(main);
        assertEquals("lightly-ingest", main.path("Function").asText());
        assertEquals(2, main.path("Ingested").asInt());
        assertEquals(1, main.path("Skipped").asInt());
        assertEquals(2, main.path("Failed").asInt(), "a busy object and a failed one both count as failed");
        assertEquals(3, main.path("Rejected").asInt());
        List<Long> latencies = new ArrayList<>();
        main.path("Latency").forEach(v -> latencies.add(v.asLong()));
        assertEquals(List.of(40L, 25L, 3L, 2L, 7L, 8L, 1L), latencies);
        JsonNode declared = main.path("_aws").path("CloudWatchMetrics").path(0).path("Metrics");
        Map<String, String> units = new LinkedHashMap<>();
        declared.forEach(m -> units.put(m.path("Name").asText(), m.path("Unit").asText()));
        assertEquals("Milliseconds", units.get("Latency"));
        assertEquals("Count", units.get("UnreadableEvents"));
        assertEquals("Count", units.get("LightlyFailures"));

        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (JsonNode reasonDocument : documents.subList(1, documents.size())) {
            assertWellFormed(reasonDocument);
            assertEquals(List.of("Function", "Reason"), List.of(
                    reasonDocument.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").path(0).path(0)
                            .asText(),
                    reasonDocument.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").path(0).path(1)
                            .asText()));
            byReason.put(reasonDocument.path("Reason").asText(), reasonDocument.path("Rejected").asInt());
        }
        assertEquals(Map.of("corrupt", 2, "too_large", 1), byReason);
    }

    @Test
    void anInvocationWithoutObjectsStillReportsZeros() throws Exception {
        List<JsonNode> documents = documents(new EmbeddedMetrics("lightly-ingest", "req-1", CLOCK));
        assertEquals(1, documents.size());
        JsonNode main = documents.get(0);
        assertWellFormed(main);
        for (String metric : List.of("Ingested", "Skipped", "Failed", "Rejected")) {
            assertEquals(0, main.path(metric).asInt(), metric);
        }
        assertEquals(0, main.path("Latency").size());
    }

    @Test
    void concurrentWorkersLoseNoCount() throws Exception {
        EmbeddedMetrics metrics = new EmbeddedMetrics("lightly-ingest", "req-1", CLOCK);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                boolean ingested = i % 2 == 0;
                done.add(pool.submit(() -> {
                    if (ingested) {
                        metrics.add(outcome(Outcome.Status.INGESTED, null, 1));
                    } else {
                        metrics.failed();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode main = documents(metrics).get(0);
        assertEquals(1000, main.path("Ingested").asInt());
        assertEquals(1000, main.path("Failed").asInt());
        assertEquals(1000, main.path("Latency").size());
    }
}
