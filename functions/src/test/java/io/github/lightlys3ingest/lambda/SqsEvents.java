package io.github.lightlys3ingest.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.lightlys3ingest.json.Json;
import java.io.IOException;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/** Builds the SQS event JSON Lambda's event source mapping hands the function for received messages. */
final class SqsEvents {
    private SqsEvents() {
    }

    static byte[] of(List<Message> messages, String queueArn) throws IOException {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            attributes.put("ApproximateReceiveCount", "1");
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.putObject("messageAttributes");
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", "us-east-1");
        }
        return Json.MAPPER.writeValueAsBytes(event);
    }
}
