package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.image.RejectReason;
import java.util.Map;

/**
 * How processing one object ended.
 *
 * @param fileName    path relative to the input root
 * @param status      what happened
 * @param reason      rejection reason, only for {@link Status#REJECTED}
 * @param detail      human-readable detail for rejections, busy, superseded and removed objects, and overwrites
 * @param sampleId    Lightly sample id when one was created or found
 * @param bytes       object size
 * @param stageMillis milliseconds per stage in order (claim, check, read, wait for a CPU permit, analyze,
 *                    thumbnail+lightly, record)
 */
public record Outcome(String fileName, Status status, RejectReason reason, String detail, String sampleId,
                      long bytes, Map<String, Long> stageMillis) {

    /** How processing one object ended. */
    public enum Status {
        /** Became a sample (and a record). */
        INGESTED,
        /** Became a rejection record. */
        REJECTED,
        /** Its record or rejection is already current: nothing done. */
        SKIPPED,
        /** Another worker holds a fresh claim on it: try again later. */
        BUSY,
        /**
         * The event is stale: the object's bytes no longer match the event's eTag or version (it was
         * overwritten or removed since). Nothing written; the newer event does the work.
         */
        SUPERSEDED,
        /** Its removal was handled: thumbnail, record and claims deleted, the sample marked removed. */
        REMOVED
    }

    /** True when the object reached its final state (record, rejection, removal, or nothing to do). */
    public boolean done() {
        return status != Status.BUSY;
    }
}
