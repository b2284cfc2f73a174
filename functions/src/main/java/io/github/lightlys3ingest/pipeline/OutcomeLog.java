package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.json.LogKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/** One structured JSON log line per object: what CloudWatch Logs Insights and humans filter on. */
public final class OutcomeLog {
    private OutcomeLog() {
    }

    /** The line for a finished object. */
    public static String line(Outcome outcome) {
        return line(outcome, Map.of());
    }

    /**
     * The line for a finished object, with the fields of where it came from (such as {@link LogKeys#REQUEST_ID}
     * and {@link LogKeys#MESSAGE_ID}).
     */
    public static String line(Outcome outcome, Map<String, ?> context) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(LogKeys.LEVEL, outcome.status() == Outcome.Status.BUSY ? "WARN" : "INFO");
        line.put(LogKeys.EVENT, LogKeys.EVENT_OBJECT);
        line.putAll(context);
        line.put(LogKeys.KEY, outcome.fileName());
        line.put(LogKeys.OUTCOME, outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        if (outcome.reason() != null) {
            line.put(LogKeys.REASON, outcome.reason().code());
        }
        if (outcome.detail() != null) {
            line.put(LogKeys.DETAIL, outcome.detail());
        }
        line.put(LogKeys.BYTES, outcome.bytes());
        line.put(LogKeys.STAGE_MILLIS, outcome.stageMillis());
        line.put(LogKeys.TOTAL_MILLIS,
                outcome.stageMillis().values().stream().mapToLong(Long::longValue).sum());
        if (outcome.sampleId() != null) {
            line.put(LogKeys.SAMPLE_ID, outcome.sampleId());
        }
        return write(line);
    }

    /**
     * The line for an object that failed with an exception (it will be retried).
     *
     * @param fileName the object's key relative to the input root ({@link LogKeys#KEY})
     * @param context  fields of where the object came from, as for {@link #line(Outcome, Map)}
     */
    public static String failure(String fileName, Throwable e, Map<String, ?> context) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(LogKeys.LEVEL, "ERROR");
        line.put(LogKeys.EVENT, LogKeys.EVENT_OBJECT);
        line.putAll(context);
        line.put(LogKeys.KEY, fileName);
        line.put(LogKeys.OUTCOME, "failed");
        line.put(LogKeys.ERROR, e.getClass().getSimpleName());
        line.put(LogKeys.DETAIL, String.valueOf(e.getMessage()));
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
