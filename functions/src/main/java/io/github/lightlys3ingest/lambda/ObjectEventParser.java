package io.github.lightlys3ingest.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the object events out of one message body (or a direct invocation's payload). Accepted shapes:
 * <ul>
 *   <li>an S3 event notification ({@code Records[]} with {@code eventSource} {@code aws:s3}), keys URL-encoded
 *       with {@code +} for a space, as S3 sends it to SQS, SNS or Lambda;</li>
 *   <li>an SNS {@code Notification} whose {@code Message} is such an event (S3 -> SNS -> SQS without raw
 *       message delivery);</li>
 *   <li>an EventBridge event from {@code aws.s3} ({@code Object Created}, {@code Object Deleted}, others as
 *       {@link ObjectEvent.Kind#OTHER}), whose key is not encoded;</li>
 *   <li>S3's {@code s3:TestEvent}, sent when a notification is configured, directly or through SNS.</li>
 * </ul>
 * Each S3 record is read on its own: a record that cannot be read (a key with invalid percent-encoding,
 * missing fields) becomes an entry in {@link Parsed#unreadable()} and the others still become events. A body
 * of any other shape is wholly unreadable. Never throws.
 */
public final class ObjectEventParser {
    private ObjectEventParser() {
    }

    /**
     * What one body held.
     *
     * @param events     the readable object events, in order
     * @param unreadable one line per record or body that could not be read, saying why
     * @param testEvent  true for S3's test event (nothing to do)
     */
    public record Parsed(List<ObjectEvent> events, List<String> unreadable, boolean testEvent) {
    }

    /** Reads a message body or a payload. */
    public static Parsed parse(String body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return unreadable("body is not JSON: " + e.getOriginalMessage());
        }
        return parse(tree);
    }

    /** Reads a payload already parsed as JSON. */
    public static Parsed parse(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            return unreadable("body is not a JSON object");
        }
        if ("Notification".equals(tree.path("Type").asText()) && tree.path("Message").isTextual()) {
            return parse(tree.path("Message").asText());
        }
        if ("s3:TestEvent".equals(tree.path("Event").asText())) {
            return new Parsed(List.of(), List.of(), true);
        }
        if ("aws.s3".equals(tree.path("source").asText()) && tree.has("detail-type")) {
            return eventBridge(tree);
        }
        JsonNode records = tree.path("Records");
        if (records.isArray() && !records.isEmpty()) {
            return s3Notification(records);
        }
        return unreadable("neither an S3 event notification, an SNS notification of one, nor an EventBridge "
                + "S3 event (fields: " + fieldNames(tree) + ")");
    }

    private static Parsed s3Notification(JsonNode records) {
        List<ObjectEvent> events = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String eventName = record.path("eventName").asText("");
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText("");
            String encodedKey = s3.path("object").path("key").asText("");
            if (!"aws:s3".equals(record.path("eventSource").asText()) || bucket.isEmpty() || encodedKey.isEmpty()) {
                unreadable.add("record " + i + " is no S3 object event (eventSource '"
                        + record.path("eventSource").asText("") + "', bucket '" + bucket + "', key '" + encodedKey
                        + "')");
                continue;
            }
            String key;
            try {
                key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                unreadable.add("record " + i + ": key '" + encodedKey + "' in bucket " + bucket
                        + " has invalid percent-encoding (" + e.getMessage() + ")");
                continue;
            }
            JsonNode object = s3.path("object");
            events.add(new ObjectEvent(bucket, key, ObjectInfo.normalizeETag(object.path("eTag").asText(null)),
                    emptyToNull(object.path("versionId").asText(null)), size(object.path("size")),
                    kind(eventName), eventName));
        }
        return new Parsed(events, unreadable, false);
    }

    private static Parsed eventBridge(JsonNode tree) {
        String detailType = tree.path("detail-type").asText();
        JsonNode detail = tree.path("detail");
        String bucket = detail.path("bucket").path("name").asText("");
        JsonNode object = detail.path("object");
        String key = object.path("key").asText("");
        if (bucket.isEmpty() || key.isEmpty()) {
            return unreadable("EventBridge '" + detailType + "' event without detail.bucket.name or detail.object.key");
        }
        ObjectEvent.Kind kind = switch (detailType) {
            case "Object Created" -> ObjectEvent.Kind.CREATED;
            case "Object Deleted" -> ObjectEvent.Kind.REMOVED;
            default -> ObjectEvent.Kind.OTHER;
        };
        String eTag = ObjectInfo.normalizeETag(object.path("etag").asText(null));
        return new Parsed(List.of(new ObjectEvent(bucket, key, eTag,
                emptyToNull(object.path("version-id").asText(null)), size(object.path("size")), kind, detailType)),
                List.of(), false);
    }

    private static ObjectEvent.Kind kind(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return ObjectEvent.Kind.CREATED;
        }
        return eventName.startsWith("ObjectRemoved:") ? ObjectEvent.Kind.REMOVED : ObjectEvent.Kind.OTHER;
    }

    private static Parsed unreadable(String why) {
        return new Parsed(List.of(), List.of(why), false);
    }

    private static String fieldNames(JsonNode tree) {
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names.subList(0, Math.min(names.size(), 8)));
    }

    private static Long size(JsonNode size) {
        return size.canConvertToLong() ? size.asLong() : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
