package io.github.lightlys3ingest.infra;

import io.github.lightlys3ingest.contract.StackOutput;
import static io.github.lightlys3ingest.infra.TemplateView.actions;
import static io.github.lightlys3ingest.infra.TemplateView.properties;
import static io.github.lightlys3ingest.infra.TemplateView.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The alarms and the encrypted topic they notify. */
@SuppressWarnings("unchecked")
class IngestionAlarmsTest {

    private static final String OUR_ALARMS =
            "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:LightlyS3Ingest-*";

    private static String logicalId(TemplateView view, String prefix) {
        return view.resources().keySet().stream().filter(id -> id.matches(prefix + "[0-9A-F]{8}"))
                .findFirst().orElseThrow(() -> new AssertionError("no resource " + prefix));
    }

    /** Alarm name to its properties. */
    private static Map<String, Map<String, Object>> alarmsByName(TemplateView view) {
        Map<String, Map<String, Object>> alarms = new TreeMap<>();
        view.resources("AWS::CloudWatch::Alarm").values()
                .forEach(alarm -> alarms.put((String) properties(alarm).get("AlarmName"), properties(alarm)));
        return alarms;
    }

    @Test
    void theTopicIsEncryptedWithARotatingKeyOnlyThisStacksAlarmsMayUse() {
        TemplateView view = EncryptedStacks.plain();
        String keyId = logicalId(view, "AlarmsTopicKey");
        var topic = properties(view.resource("AlarmsTopic"));
        assertEquals("${" + keyId + ".Arn}", render(topic.get("KmsMasterKeyId")),
                "a customer-managed key, not aws/sns");
        var key = properties(view.resource("AlarmsTopicKey"));
        assertEquals(true, key.get("EnableKeyRotation"));
        var statements = view.statements("AlarmsTopicKey", "KeyPolicy");
        var cloudWatch = statements.stream().filter(s -> "CloudWatchAlarmsPublish".equals(s.get("Sid")))
                .findFirst().orElseThrow();
        assertEquals(Map.of("Service", "cloudwatch.amazonaws.com"), cloudWatch.get("Principal"));
        assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey*"), actions(cloudWatch));
        assertOnlyOurAlarms((Map<String, Object>) cloudWatch.get("Condition"));
    }

    private static void assertOnlyOurAlarms(Map<String, Object> condition) {
        var account = (Map<String, Object>) condition.get("StringEquals");
        assertEquals("${AWS::AccountId}", render(account.get("aws:SourceAccount")));
        var source = (Map<String, Object>) condition.get("ArnLike");
        assertEquals(OUR_ALARMS, render(source.get("aws:SourceArn")));
    }

    @Test
    void theTopicRefusesPublishingWithoutTlsAndLetsOurAlarmsPublish() {
        TemplateView view = EncryptedStacks.plain();
        String topicRef = "${" + logicalId(view, "AlarmsTopic") + "}";
        var statements = view.statements("AlarmsTopicPolicy", "PolicyDocument");
        assertEquals(2, statements.size());
        var deny = statements.stream().filter(s -> "Deny".equals(s.get("Effect"))).findFirst().orElseThrow();
        assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), deny.get("Condition"));
        var allow = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).findFirst().orElseThrow();
        assertEquals(Map.of("Service", "cloudwatch.amazonaws.com"), allow.get("Principal"));
        assertEquals(List.of("sns:Publish"), actions(allow));
        assertEquals(topicRef, render(allow.get("Resource")));
        assertOnlyOurAlarms((Map<String, Object>) allow.get("Condition"));
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItRecovers() {
        TemplateView view = EncryptedStacks.plain();
        String topicRef = "${" + logicalId(view, "AlarmsTopic") + "}";
        var alarms = alarmsByName(view);
        assertEquals(List.of("LightlyS3Ingest-dead-letters", "LightlyS3Ingest-ingest-errors",
                "LightlyS3Ingest-ingest-throttles", "LightlyS3Ingest-queue-age"), List.copyOf(alarms.keySet()));
        alarms.forEach((name, alarm) -> {
            assertEquals(topicRef, render(alarm.get("AlarmActions")), name);
            assertEquals(topicRef, render(alarm.get("OKActions")), name);
            assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator"), name);
            assertEquals("notBreaching", alarm.get("TreatMissingData"), name);
            assertEquals(300, ((Number) alarm.get("Period")).intValue(), name);
        });
    }

    @Test
    void errorAndThrottleAlarmsFireOnTheFirstOneOfTheIngestionFunction() {
        TemplateView view = EncryptedStacks.plain();
        var alarms = alarmsByName(view);
        String function = "${" + logicalId(view, "IngestionIngestFunction") + "}";
        for (var entry : Map.of("LightlyS3Ingest-ingest-errors", "Errors",
                "LightlyS3Ingest-ingest-throttles", "Throttles").entrySet()) {
            var alarm = alarms.get(entry.getKey());
            assertEquals("AWS/Lambda", alarm.get("Namespace"));
            assertEquals(entry.getValue(), alarm.get("MetricName"));
            assertEquals("Sum", alarm.get("Statistic"));
            assertEquals(0, ((Number) alarm.get("Threshold")).intValue());
            var dimension = ((List<Map<String, Object>>) alarm.get("Dimensions")).get(0);
            assertEquals("FunctionName", dimension.get("Name"));
            assertEquals(function, render(dimension.get("Value")), "the function, all versions and aliases");
        }
    }

    @Test
    void queueAgeAlarmWatchesTheOldestMessageAgainstTheConfiguredThreshold() {
        var alarm = alarmsByName(EncryptedStacks.plain()).get("LightlyS3Ingest-queue-age");
        assertEquals("AWS/SQS", alarm.get("Namespace"));
        assertEquals("ApproximateAgeOfOldestMessage", alarm.get("MetricName"));
        assertEquals("Maximum", alarm.get("Statistic"));
        assertEquals(3600, ((Number) alarm.get("Threshold")).intValue(), "default: one hour");
        assertEquals("${IngestionQueue8DED9A6F.QueueName}",
                render(((List<Map<String, Object>>) alarm.get("Dimensions")).get(0).get("Value")));
        var configured = alarmsByName(EncryptedStacks.stackKey()).get("LightlyS3Ingest-queue-age");
        assertEquals(7200, ((Number) configured.get("Threshold")).intValue());
    }

    @Test
    void alarmEmailSubscribesTheAddressAndWithoutItNobodyIsSubscribed() {
        assertEquals(Map.of(), EncryptedStacks.plain().resources("AWS::SNS::Subscription"));
        TemplateView view = EncryptedStacks.stackKey();
        var subscriptions = view.resources("AWS::SNS::Subscription");
        assertEquals(1, subscriptions.size());
        var subscription = properties(subscriptions.values().iterator().next());
        assertEquals("email", subscription.get("Protocol"));
        assertEquals(EncryptedStacks.EMAIL, subscription.get("Endpoint"));
        assertEquals("${" + logicalId(view, "AlarmsTopic") + "}", render(subscription.get("TopicArn")));
    }

    @Test
    void outputsNameTheTopicAndEveryAlarm() {
        TemplateView view = EncryptedStacks.givenKeys();
        assertEquals("${" + logicalId(view, "AlarmsTopic") + "}", view.output(StackOutput.ALARM_TOPIC_ARN.key()));
        List<String> names = List.of(view.output(StackOutput.ALARM_NAMES.key()).split(","));
        List<String> alarmRefs = view.resources("AWS::CloudWatch::Alarm").keySet().stream()
                .map(id -> "${" + id + "}").sorted().toList();
        assertEquals(alarmRefs, names.stream().sorted().toList(), "a Ref of an alarm is its name");
        assertEquals(4, names.size());
        alarmsByName(view).keySet()
                .forEach(name -> assertTrue(name.startsWith("Lake-"), "named after the stack: " + name));
    }
}
