package io.github.lightlys3ingest.backfill;

import java.io.IOException;
import java.util.List;

/** Sends message bodies to the ingestion queue. */
@FunctionalInterface
public interface Enqueuer {
    /** Most bodies one call takes: SQS's SendMessageBatch limit. */
    int MAX_BATCH = 10;

    /**
     * Sends up to {@link #MAX_BATCH} bodies; returns only when every one of them was accepted.
     *
     * @throws IOException when some could not be sent (none, some or all of them may have been)
     */
    void send(List<String> bodies) throws IOException;
}
