package io.github.lightlys3ingest.lambda;

import io.github.lightlys3ingest.json.LogKeys;
import io.github.lightlys3ingest.pipeline.Outcome;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch metrics in Embedded Metric Format: JSON log lines that CloudWatch turns into metrics
 * without an API call. One document per invocation (namespace {@code LightlyS3Ingest}, dimension
 * {@code Function}: {@code Ingested}, {@code Skipped}, {@code Failed}, {@code Rejected}, {@code Superseded}
 * (stale events), {@code Removed} (handled removals), {@code LightlyFailures} (Lightly calls that failed after
 * their retries or were not sent because Lightly was down), {@code UnreadableEvents} (message records that are
 * no object event we can read), {@code Latency}) plus one per rejection reason (dimensions {@code Function},
 * {@code Reason}).
 */
final class EmbeddedMetrics {
    static final String NAMESPACE = "LightlyS3Ingest";

    private final String function;
    private final String requestId;
    private final Clock clock;
    private int ingested;
    private int skipped;
    private int failed;
    private int superseded;
    private int removed;
    private int lightlyFailures;
    private int unreadable;
    private final Map<String, Integer> rejected = new TreeMap<>();
    private final List<Long> latencies = new ArrayList<>();

    /**
     * @param function  the {@code Function} dimension
     * @param requestId the invocation's request id: a property of every document (not a dimension), so the
     *                  documents join the invocation's other log lines
     * @param clock     the documents' timestamp
     */
    EmbeddedMetrics(String function, String requestId, Clock clock) {
        this.function = function;
        this.requestId = requestId;
        this.clock = clock;
    }

    synchronized void add(Outcome outcome) {
        switch (outcome.status()) {
            case INGESTED -> ingested++;
            case SKIPPED -> skipped++;
            case REJECTED -> rejected.merge(outcome.reason().code(), 1, Integer::sum);
            case BUSY -> failed++;
            case SUPERSEDED -> superseded++;
            case REMOVED -> removed++;
        }
        latencies.add(outcome.stageMillis().values().stream().mapToLong(Long::longValue).sum());
    }

    synchronized void failed() {
        failed++;
    }

    /** An object failed because a Lightly call failed after its retries, or Lightly was down. */
    synchronized void lightlyFailed() {
        failed++;
        lightlyFailures++;
    }

    /** A message, or a record in one, that is no object event we can read. */
    synchronized void unreadable() {
        unreadable++;
    }

    /** The EMF documents, one JSON line each. */
    synchronized List<String> documents() {
        List<String> lines = new ArrayList<>();
        Map<String, Object> main = document(List.of("Function"),
                List.of(metric("Ingested", "Count"), metric("Skipped", "Count"), metric("Failed", "Count"),
                        metric("Rejected", "Count"), metric("Superseded", "Count"), metric("Removed", "Count"),
                        metric("LightlyFailures", "Count"), metric("UnreadableEvents", "Count"),
                        metric("Latency", "Milliseconds")));
        main.put("Ingested", ingested);
        main.put("Skipped", skipped);
        main.put("Failed", failed);
        main.put("Rejected", rejected.values().stream().mapToInt(Integer::intValue).sum());
        main.put("Superseded", superseded);
        main.put("Removed", removed);
        main.put("LightlyFailures", lightlyFailures);
        main.put("UnreadableEvents", unreadable);
        main.put("Latency", List.copyOf(latencies));
        lines.add(OutcomeLog.write(main));
        rejected.forEach((reason, count) -> {
            Map<String, Object> doc = document(List.of("Function", "Reason"), List.of(metric("Rejected", "Count")));
            doc.put("Reason", reason);
            doc.put("Rejected", count);
            lines.add(OutcomeLog.write(doc));
        });
        return lines;
    }

    private Map<String, Object> document(List<String> dimensions, List<Map<String, String>> metrics) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(dimensions));
        directive.put("Metrics", metrics);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", clock.millis());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_aws", aws);
        doc.put("Function", function);
        doc.put(LogKeys.REQUEST_ID, requestId);
        return doc;
    }

    private static Map<String, String> metric(String name, String unit) {
        return Map.of("Name", name, "Unit", unit);
    }
}
