package io.github.lightlys3ingest.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One message of the dead-letter queue, as far as SQS tells: the objects its body names and its history.
 * SQS keeps no failure reason on a message; the ingest function logs one line per failed object instead.
 *
 * @param messageId       SQS message id
 * @param objects         {@code s3://bucket/key} of each object the body's S3 event names (keys decoded)
 * @param note            what the body is when it is not a plain S3 event notification; null when it is
 * @param receiveCount    how often the message was received, this look included
 * @param sentAt          when S3 (or the backfill) sent it
 * @param firstReceivedAt when a consumer first received it
 */
public record DeadLetter(String messageId, List<String> objects, String note, int receiveCount, Instant sentAt,
                         Instant firstReceivedAt) {
    private static final int NOTE_CHARACTERS = 80;

    public DeadLetter {
        objects = List.copyOf(objects);
    }

    /**
     * Reads a received message. Only plain S3 event notifications (what S3 and the backfill put on the
     * queue, and the only bodies the ingest function consumes) are decoded; SNS or EventBridge envelopes and
     * anything else get a note with the start of the body.
     */
    public static DeadLetter of(Message message) {
        Map<MessageSystemAttributeName, String> attributes = message.attributes();
        List<String> objects = new ArrayList<>();
        String note = null;
        try {
            JsonNode body = Json.MAPPER.readTree(message.body());
            if ("s3:TestEvent".equals(body.path("Event").asText())) {
                note = "S3 test event";
            } else if (body.path("Records").isArray() && !body.path("Records").isEmpty()) {
                for (JsonNode record : body.path("Records")) {
                    JsonNode s3 = record.path("s3");
                    String key = s3.path("object").path("key").asText(null);
                    if (key == null) {
                        note = "an event record without s3.object.key";
                        continue;
                    }
                    // S3 event keys are form-encoded: '+' is a space.
                    objects.add("s3://" + s3.path("bucket").path("name").asText("?") + "/"
                            + URLDecoder.decode(key, StandardCharsets.UTF_8));
                }
            } else {
                note = "not an S3 event notification: " + start(message.body());
            }
        } catch (IOException | IllegalArgumentException e) {
            note = "not JSON: " + start(message.body());
        }
        return new DeadLetter(message.messageId(), objects, note,
                Integer.parseInt(attributes.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0")),
                millis(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP)),
                millis(attributes.get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP)));
    }

    private static String start(String body) {
        String line = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return line.length() <= NOTE_CHARACTERS ? line : line.substring(0, NOTE_CHARACTERS) + "...";
    }

    private static Instant millis(String value) {
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }
}
