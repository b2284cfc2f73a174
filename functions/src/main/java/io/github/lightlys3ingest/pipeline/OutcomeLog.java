package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** One structured JSON log line per object: what CloudWatch Logs Insights and humans filter on. */
public final class OutcomeLog {
    private OutcomeLog() {
    }

    /** The line for a finished object. */
    public static String line(Outcome outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", outcome.status() == Outcome.Status.BUSY ? "WARN" : "INFO");
        line.put("event", "object");
        line.put("key", outcome.fileName());
        line.put("outcome", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        if (outcome.reason() != null) {
            line.put("reason", outcome.reason().code());
        }
        if (outcome.detail() != null) {
            line.put("detail", outcome.detail());
        }
        line.put("bytes", outcome.bytes());
        line.put("ms", outcome.stageMillis());
        line.put("totalMs", outcome.stageMillis().values().stream().mapToLong(Long::longValue).sum());
        if (outcome.sampleId() != null) {
            line.put("sampleId", outcome.sampleId());
        }
        return write(line);
    }

    /** The line for an object that failed with an exception (it will be retried). */
    public static String failure(String key, Throwable e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "ERROR");
        line.put("event", "object");
        line.put("key", key);
        line.put("outcome", "failed");
        line.put("error", e.getClass().getSimpleName());
        line.put("detail", String.valueOf(e.getMessage()));
        return write(line);
    }

    /** A free-form structured line. */
    public static String write(Map<String, Object> fields) {
        try {
            return Json.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("log fields must be serializable", e);
        }
    }
}
