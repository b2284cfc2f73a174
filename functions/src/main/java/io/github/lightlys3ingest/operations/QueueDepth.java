package io.github.lightlys3ingest.operations;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How many messages a queue holds, from SQS GetQueueAttributes (approximate, as SQS says).
 *
 * @param url      the queue
 * @param visible  waiting to be received
 * @param inFlight received and not yet deleted or returned
 * @param delayed  not yet visible
 */
public record QueueDepth(String url, long visible, long inFlight, long delayed) {

    /** Asks SQS. */
    public static QueueDepth of(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return new QueueDepth(url, count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /** Every message in the queue, whatever its state. */
    public long total() {
        return visible + inFlight + delayed;
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }
}
