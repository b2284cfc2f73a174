package io.github.lightlys3ingest.operations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * One CloudWatch alarm's state, from DescribeAlarms.
 *
 * @param name      the alarm
 * @param state     {@code OK}, {@code ALARM}, {@code INSUFFICIENT_DATA}, or {@code MISSING} when no such
 *                  alarm exists
 * @param reason    CloudWatch's reason for the state; null when missing
 * @param updatedAt when the state last changed; null when missing
 */
public record AlarmState(String name, String state, String reason, Instant updatedAt) {
    public static final String ALARM = "ALARM";
    public static final String MISSING = "MISSING";
    /** DescribeAlarms takes at most this many names per call. */
    private static final int NAMES_PER_CALL = 100;

    /** The states of the named alarms, in the order given. */
    public static List<AlarmState> of(CloudWatchClient cloudWatch, List<String> names) {
        Map<String, AlarmState> found = new LinkedHashMap<>();
        for (int start = 0; start < names.size(); start += NAMES_PER_CALL) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + NAMES_PER_CALL));
            for (MetricAlarm alarm : cloudWatch.describeAlarmsPaginator(b -> b.alarmNames(chunk)).metricAlarms()) {
                found.put(alarm.alarmName(), new AlarmState(alarm.alarmName(), alarm.stateValueAsString(),
                        alarm.stateReason(), alarm.stateUpdatedTimestamp()));
            }
        }
        List<AlarmState> states = new ArrayList<>();
        for (String name : names) {
            states.add(found.getOrDefault(name, new AlarmState(name, MISSING, null, null)));
        }
        return states;
    }
}
