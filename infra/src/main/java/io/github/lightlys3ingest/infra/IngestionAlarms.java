package io.github.lightlys3ingest.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms that reach someone: an SNS topic (encrypted with a key of its own; the AWS-managed {@code aws/sns}
 * key cannot be used, because CloudWatch may not use AWS-managed keys and would drop every notification),
 * optionally with an e-mail subscription, as the alarm and OK action of the dead-letter alarm and of alarms on
 * the ingestion function's errors and throttles and on the age of the oldest queued message.
 */
public final class IngestionAlarms extends Construct {

    /**
     * @param namePrefix           prefix of every alarm name (the stack name), which the grants to CloudWatch match
     * @param pipeline             the ingestion pipeline whose queue, dead-letter queue and function are watched
     * @param email                address to subscribe to the topic, if any
     * @param maxMessageAgeSeconds threshold of the queue-age alarm
     */
    public record Props(String namePrefix, IngestionPipeline pipeline, Optional<String> email,
                        int maxMessageAgeSeconds) {
    }

    /** Alarm name suffixes; the names are {@code <stack>-<suffix>}. */
    static final String DEAD_LETTERS = "dead-letters";
    static final String ERRORS = "ingest-errors";
    static final String THROTTLES = "ingest-throttles";
    static final String QUEUE_AGE = "queue-age";
    static final Duration PERIOD = Duration.minutes(5);

    private final Key key;
    private final Topic topic;
    private final List<Alarm> alarms;

    public IngestionAlarms(Construct scope, String id, Props props) {
        super(scope, id);
        // CloudWatch may publish for this stack's alarms only (confused-deputy guard on both the key and topic).
        Map<String, Object> fromOurAlarms = Map.of(
                "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                "ArnLike", Map.of("aws:SourceArn", "arn:" + Aws.PARTITION + ":cloudwatch:" + Aws.REGION + ":"
                        + Aws.ACCOUNT_ID + ":alarm:" + props.namePrefix() + "-*"));
        key = Key.Builder.create(this, "TopicKey")
                .description("Encrypts the alarm notifications of " + props.namePrefix())
                .enableKeyRotation(true)
                // Notifications are transient: nothing stays encrypted under this key once the stack is gone.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(fromOurAlarms)
                .build());
        topic = Topic.Builder.create(this, "Topic")
                .displayName("Lightly S3 ingest alarms (" + props.namePrefix() + ")")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(fromOurAlarms)
                .build());
        props.email().ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));

        IngestionPipeline pipeline = props.pipeline();
        var function = pipeline.function().function();
        MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        Alarm errors = alarm("Errors", props.namePrefix() + "-" + ERRORS, function.metricErrors(sum), 0,
                "The ingestion function failed (crash, timeout or out of memory) on a whole batch; the batch "
                        + "is retried. Look at the function's log group for the error.");
        Alarm throttles = alarm("Throttles", props.namePrefix() + "-" + THROTTLES, function.metricThrottles(sum), 0,
                "Lambda throttled the ingestion function: the account's concurrency is exhausted. Ingestion "
                        + "slows down; messages wait in the queue.");
        Alarm queueAge = alarm("QueueAge", props.namePrefix() + "-" + QUEUE_AGE,
                pipeline.queue().metricApproximateAgeOfOldestMessage(
                        MetricOptions.builder().period(PERIOD).statistic("Maximum").build()),
                props.maxMessageAgeSeconds(),
                "The oldest message in the ingestion queue waited longer than " + props.maxMessageAgeSeconds()
                        + " s: ingestion stalled or cannot keep up (a large backfill does this too).");
        alarms = List.of(pipeline.deadLetterAlarm(), errors, throttles, queueAge);
        SnsAction notify = new SnsAction(topic);
        for (Alarm alarm : alarms) {
            alarm.addAlarmAction(notify);
            // OK notifications too: the reader of an alarm e-mail learns when the problem is over.
            alarm.addOkAction(notify);
        }
    }

    private Alarm alarm(String id, String name, IMetric metric, int threshold, String description) {
        return Alarm.Builder.create(this, id)
                .alarmName(name)
                .alarmDescription(description + " See docs/operations.md.")
                .metric(metric)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    /** The topic every alarm notifies. */
    public Topic topic() {
        return topic;
    }

    /** The key the topic is encrypted with. */
    public Key key() {
        return key;
    }

    /** Every alarm of the stack: dead letters, function errors, function throttles, queue age. */
    public List<Alarm> alarms() {
        return alarms;
    }
}
