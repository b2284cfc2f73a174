package io.github.lightlys3ingest.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} shows: the output datasource's census and, for a deployed stack, its queues and alarms.
 *
 * @param output           the output datasource
 * @param census           counts from the listing
 * @param rejectionReasons rejections per reason code; null when the rejections were not read
 * @param objectsRead      objects read besides the listing (0 unless rejection reasons were asked for)
 * @param queue            the ingestion queue; null without a stack
 * @param deadLetters      the dead-letter queue; null without a stack
 * @param alarms           the stack's alarms; empty without a stack
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusReport(String output, OutputCensus census, Map<String, Long> rejectionReasons, long objectsRead,
                           QueueDepth queue, QueueDepth deadLetters, List<AlarmState> alarms) {

    public StatusReport {
        rejectionReasons = rejectionReasons == null ? null : Map.copyOf(rejectionReasons);
        alarms = List.copyOf(alarms);
    }

    /** What an operator should look at, one short sentence each; empty when all is well. */
    public List<String> attention() {
        List<String> notes = new ArrayList<>();
        long stale = census.stale();
        if (stale > 0) {
            notes.add(stale + " stale claim" + (stale == 1 ? "" : "s") + " (older than the "
                    + census.leaseSeconds() + " s lease): the worker stopped; the next delivery takes over");
        }
        if (deadLetters != null && deadLetters.total() > 0) {
            notes.add(deadLetters.total() + " message" + (deadLetters.total() == 1 ? "" : "s")
                    + " in the dead-letter queue: see redrive");
        }
        for (AlarmState alarm : alarms) {
            if (AlarmState.ALARM.equals(alarm.state()) || AlarmState.MISSING.equals(alarm.state())) {
                notes.add("alarm " + alarm.name() + " is " + alarm.state());
            }
        }
        return notes;
    }
}
