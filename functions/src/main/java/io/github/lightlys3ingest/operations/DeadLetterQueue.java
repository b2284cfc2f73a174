package io.github.lightlys3ingest.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Looks into the dead-letter queue without taking anything out of it, and moves its messages back.
 *
 * @param sqs the client
 * @param url the dead-letter queue
 */
public record DeadLetterQueue(SqsClient sqs, String url) {
    /**
     * How long looked-at messages stay hidden: long enough to page through the queue without seeing one twice,
     * short enough that they are back soon should this process die before making them visible again.
     */
    static final int LOOK_SECONDS = 60;
    private static final int BATCH = 10;

    /**
     * Up to {@code max} messages, read without deleting: they are received (hidden while the queue is paged
     * through, so none is seen twice) and then made visible again at once.
     */
    public List<DeadLetter> peek(int max) {
        Map<String, Message> seen = new LinkedHashMap<>();
        List<String> receipts = new ArrayList<>();
        try {
            while (seen.size() < max) {
                int wanted = Math.min(BATCH, max - seen.size());
                // A short wait makes SQS ask all its servers: an empty answer then means the queue is empty.
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(wanted)
                        .visibilityTimeout(LOOK_SECONDS).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (messages.isEmpty()) {
                    break;
                }
                for (Message message : messages) {
                    receipts.add(message.receiptHandle());
                    seen.putIfAbsent(message.messageId(), message);
                }
            }
        } finally {
            release(receipts);
        }
        return seen.values().stream().map(DeadLetter::of).toList();
    }

    /**
     * Starts SQS's own move task (StartMessageMoveTask) of every message back to {@code destinationUrl}.
     *
     * @return the task handle SQS answers
     */
    public String moveTo(String destinationUrl) {
        String source = arn(url);
        String destination = arn(destinationUrl);
        return sqs.startMessageMoveTask(b -> b.sourceArn(source).destinationArn(destination)).taskHandle();
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void release(List<String> receipts) {
        for (int start = 0; start < receipts.size(); start += BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = start; i < Math.min(receipts.size(), start + BATCH); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(receipts.get(i)).visibilityTimeout(0).build());
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
        }
    }
}
