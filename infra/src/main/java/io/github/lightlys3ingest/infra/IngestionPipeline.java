package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.lightlys3ingest.contract.LambdaFunction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Automatic ingestion: S3 ObjectCreated and ObjectRemoved (Delete, DeleteMarkerCreated) under the input
 * prefix, and only there, go to an SQS queue whose
 * messages the ingestion function consumes through its {@code live} alias (SnapStart needs a published
 * version). Messages that fail {@link #MAX_RECEIVE_COUNT} times land in a dead-letter queue, which raises an
 * alarm. The event source's maximum concurrency caps parallel requests to Lightly.
 */
public final class IngestionPipeline extends Construct {

    public static final String ALIAS_NAME = "live";
    public static final int BATCH_SIZE = 10;
    public static final int BATCHING_WINDOW_SECONDS = 5;
    public static final int MAX_RECEIVE_COUNT = 5;

    /**
     * @param inputBucket    bucket of the input datasource
     * @param inputPrefix    its root prefix; the notification fires only below it
     * @param outputBucket   bucket of the output datasource
     * @param outputPrefix   its root prefix
     * @param tokenSecret    secret holding the Lightly token
     * @param jar            the functions jar
     * @param memoryMb       function memory
     * @param timeoutSeconds function timeout in seconds
     * @param maxConcurrency maximum concurrent invocations by the SQS event source
     * @param environment    function environment
     * @param readTags       whether the function reads object tags (custom metadata source {@code tags})
     * @param sidecarFile    the COCO-style custom metadata file the function reads once, if any
     */
    public record Props(IBucket inputBucket, String inputPrefix, IBucket outputBucket, String outputPrefix,
                        ISecret tokenSecret, Path jar, int memoryMb, int timeoutSeconds, int maxConcurrency,
                        Map<String, String> environment, boolean readTags, Optional<String> sidecarFile) {
    }

    private final Queue queue;
    private final Queue deadLetterQueue;
    private final Alarm deadLetterAlarm;
    private final JavaFunction function;
    private final Alias alias;

    public IngestionPipeline(Construct scope, String id, Props props) {
        super(scope, id);
        deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        NagSuppressions.addResourceSuppressions(deadLetterQueue, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is the dead-letter queue of the ingestion queue; it is watched by an alarm "
                        + "and redriven by hand, so it has no dead-letter queue of its own.")
                .build()));
        queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // AWS's rule for Lambda event sources: at least six times the function timeout, plus the batching
                // window.
                .visibilityTimeout(Duration.seconds(6 * props.timeoutSeconds() + BATCHING_WINDOW_SECONDS))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(MAX_RECEIVE_COUNT)
                        .build())
                .build();
        deadLetterAlarm = Alarm.Builder.create(this, "DeadLetterAlarm")
                .alarmName(Stack.of(this).getStackName() + "-" + IngestionAlarms.DEAD_LETTERS)
                .alarmDescription("Objects failed ingestion " + MAX_RECEIVE_COUNT + " times; inspect the function "
                        + "logs, fix the cause, then redrive the dead-letter queue")
                .metric(deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(0)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();

        var filters = props.inputPrefix().isEmpty()
                ? new NotificationKeyFilter[0]
                : new NotificationKeyFilter[] {NotificationKeyFilter.builder().prefix(props.inputPrefix()).build()};
        SqsDestination destination = new SqsDestination(queue);
        props.inputBucket().addEventNotification(EventType.OBJECT_CREATED, destination, filters);
        // a removed image's thumbnail, record and claims are deleted and its sample marked removed
        props.inputBucket().addEventNotification(EventType.OBJECT_REMOVED_DELETE, destination, filters);
        props.inputBucket().addEventNotification(EventType.OBJECT_REMOVED_DELETE_MARKER_CREATED, destination, filters);

        function = new JavaFunction(this, "Ingest", new JavaFunction.Props(LambdaFunction.INGEST.handler(),
                "Ingests new images from the input datasource into Lightly",
                props.jar(), props.memoryMb(), Duration.seconds(props.timeoutSeconds()), props.environment(), true,
                Optional.empty()));
        function.role().addToPrincipalPolicy(props.readTags()
                // one GetObjectTagging per image when tags are a custom metadata source
                ? PrefixPermissions.objects(props.inputBucket(), props.inputPrefix(), "s3:GetObject",
                "s3:GetObjectTagging")
                : PrefixPermissions.objects(props.inputBucket(), props.inputPrefix(), "s3:GetObject"));
        // The COCO-style metadata file is read once per container: exactly that object.
        props.sidecarFile().ifPresent(uri -> function.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of("arn:" + Aws.PARTITION + ":s3:::" + uri.substring("s3://".length())))
                .build()));
        // DeleteObject: claims are released and outdated rejections removed once a record is written, and a
        // removed object's thumbnail, record and claims deleted. Listing the claims of a removed object uses the
        // bucket-wide s3:ListBucket of keyExistence below.
        function.role().addToPrincipalPolicy(PrefixPermissions.objects(props.outputBucket(), props.outputPrefix(),
                "s3:GetObject", "s3:PutObject", "s3:DeleteObject"));
        function.role().addToPrincipalPolicy(PrefixPermissions.keyExistence(props.inputBucket(), props.outputBucket()));
        props.tokenSecret().grantRead(function.role());
        NagSuppressions.addResourceSuppressions(function.role(), List.of(PrefixPermissions.prefixWildcardSuppression(
                "The function reads any new image under the input root and writes its thumbnail and record "
                        + "under the output root; keys are only known at run time.",
                props.inputPrefix(), props.outputPrefix())), true);

        alias = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS_NAME)
                .version(function.function().getCurrentVersion())
                .build();
        alias.addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(Duration.seconds(BATCHING_WINDOW_SECONDS))
                .reportBatchItemFailures(true)
                .maxConcurrency(props.maxConcurrency())
                .build());
    }

    /** The queue S3 notifications go to, and backfill sends to. */
    public Queue queue() {
        return queue;
    }

    /** Where messages go after {@link #MAX_RECEIVE_COUNT} failed attempts. */
    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    /** Fires when the dead-letter queue holds a message. */
    public Alarm deadLetterAlarm() {
        return deadLetterAlarm;
    }

    /** The ingestion function. */
    public JavaFunction function() {
        return function;
    }

    /** The {@code live} alias the event source invokes. */
    public Alias alias() {
        return alias;
    }
}
