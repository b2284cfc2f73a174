package io.github.lightlys3ingest.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQS message body S3 itself sends for a new object (event structure version 2.1), so that backfilled
 * objects take the same path as live uploads: same consumer, concurrency cap, idempotency and DLQ.
 */
public final class S3EventBody {
    /** Names the notification configuration in the event, so backfilled messages can be told apart in logs. */
    public static final String CONFIGURATION_ID = "lightly-backfill";
    public static final String EVENT_NAME = "ObjectCreated:Put";
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private S3EventBody() {
    }

    /**
     * The body for one object.
     *
     * @param region    the bucket's region, e.g. {@code us-east-1}
     * @param fullKey   the object's full key (not encoded)
     * @param eTag      the eTag without quotes
     * @param eventTime when the event happened; written as S3 does, in UTC with milliseconds
     */
    public static String of(String region, String bucket, String fullKey, long size, String eTag, Instant eventTime) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(fullKey));
        object.put("size", size);
        if (eTag != null) {
            object.put("eTag", eTag);
        }
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", CONFIGURATION_ID);
        s3.put("bucket", Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket));
        s3.put("object", object);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(eventTime));
        record.put("eventName", EVENT_NAME);
        record.put("s3", s3);
        try {
            return Json.MAPPER.writeValueAsString(Map.of("Records", List.of(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an S3 event of strings and numbers always serializes", e);
        }
    }

    /**
     * Encodes a key the way S3 does in event notifications: form encoding (a space becomes {@code +}, a
     * {@code +} becomes {@code %2B}, UTF-8 bytes become {@code %XX}) with {@code /} left as it is.
     */
    public static String encodeKey(String fullKey) {
        return URLEncoder.encode(fullKey, StandardCharsets.UTF_8).replace("%2F", "/");
    }
}
