package io.github.lightlys3ingest.backfill;

import java.util.UUID;

/**
 * Where a backfill run stands: the payload one invocation hands to the next.
 *
 * @param runId       identifies the run in logs and in the continuation claims
 * @param request     the original, validated request
 * @param resumeAfter full key after which the next invocation lists (exclusive): the last key whose
 *                    handling is complete, so everything up to it was enqueued or skipped and nothing
 *                    after it was; null before the first key
 * @param progress    counters up to {@code resumeAfter}
 */
public record BackfillState(String runId, BackfillRequest request, String resumeAfter, BackfillProgress progress) {

    /** The state a fresh run starts from. */
    public static BackfillState start(BackfillRequest request) {
        return new BackfillState(UUID.randomUUID().toString(), request, request.startAfter(), BackfillProgress.NONE);
    }
}
