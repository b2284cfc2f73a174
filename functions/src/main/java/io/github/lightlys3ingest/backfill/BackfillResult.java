package io.github.lightlys3ingest.backfill;

/**
 * How one invocation of the backfill ended.
 *
 * @param status what happened
 * @param state  the state after this invocation (for {@link Status#HANDED_OFF}: what the continuation got)
 */
public record BackfillResult(Status status, BackfillState state) {

    /** Why an invocation ended. */
    public enum Status {
        /** Every key under the prefix was handled. */
        COMPLETE,
        /** {@code maxObjects} objects were enqueued. */
        LIMIT_REACHED,
        /** Time ran short; the rest was handed to a continuation. */
        HANDED_OFF,
        /** Another invocation already claimed this continuation (a duplicate delivery): nothing was done. */
        DUPLICATE
    }
}
