package io.github.lightlys3ingest.backfill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends bodies with SendMessageBatch. A batch can partly fail (throttling, a server fault on some
 * entries): the failed entries are sent again a few times, waiting a little longer each time, before
 * giving up. The enqueuer does not close the client it is given.
 */
public final class SqsEnqueuer implements Enqueuer {
    private static final int ATTEMPTS = 5;
    private static final long FIRST_WAIT_MILLIS = 200;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEnqueuer(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(List<String> bodies) throws IOException {
        if (bodies.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " bodies per batch, not " + bodies.size());
        }
        Map<String, String> pending = new TreeMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.put(Integer.toString(i), bodies.get(i));
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            pending.forEach((id, body) -> entries.add(
                    SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build()));
            SendMessageBatchResponse response;
            try {
                response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (SdkException e) {
                // The SDK has retried already: the queue is gone, access is denied, or SQS is unreachable.
                throw new IOException("SendMessageBatch to " + queueUrl + " failed: " + e.getMessage(), e);
            }
            response.successful().forEach(ok -> pending.remove(ok.id()));
            List<BatchResultErrorEntry> failed = response.failed();
            if (failed.isEmpty()) {
                continue;
            }
            BatchResultErrorEntry first = failed.get(0);
            if (failed.stream().anyMatch(BatchResultErrorEntry::senderFault) || attempt == ATTEMPTS) {
                throw new IOException("SendMessageBatch to " + queueUrl + ": " + failed.size() + " of " + entries.size()
                        + " messages refused after " + attempt + " attempts (" + first.code() + ": " + first.message()
                        + ")");
            }
            pause(FIRST_WAIT_MILLIS << (attempt - 1));
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying SendMessageBatch", e);
        }
    }
}
