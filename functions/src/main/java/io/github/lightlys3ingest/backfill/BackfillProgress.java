package io.github.lightlys3ingest.backfill;

/**
 * Counters of a backfill run, summed over all its invocations. Every counter covers exactly the keys up to
 * the run's resume point, so an invocation that continues another never counts an object twice; only
 * {@code recordReads} and {@code sendBatches} count requests as they were made.
 *
 * @param listed         keys listed
 * @param enqueued       objects enqueued (in a dry run: that would have been enqueued)
 * @param skippedCurrent objects skipped because a record or rejection names their current eTag
 * @param skippedIgnored keys that are never ingested: folder markers, anything under {@code .lightly/}
 * @param recordReads    GET requests on the output datasource to check records and rejections
 * @param sendBatches    SendMessageBatch requests
 * @param continuations  invocations that continued the run after the first one
 */
public record BackfillProgress(long listed, long enqueued, long skippedCurrent, long skippedIgnored,
                               long recordReads, long sendBatches, int continuations) {

    public static final BackfillProgress NONE = new BackfillProgress(0, 0, 0, 0, 0, 0, 0);

    BackfillProgress nextContinuation() {
        return new BackfillProgress(listed, enqueued, skippedCurrent, skippedIgnored, recordReads, sendBatches,
                continuations + 1);
    }
}
