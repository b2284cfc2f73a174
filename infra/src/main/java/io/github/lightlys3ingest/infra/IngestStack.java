package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.lightlys3ingest.contract.Defaults;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.LambdaFunction;
import io.github.lightlys3ingest.contract.StackOutput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The whole deployment: datasource buckets, the role Lightly assumes (and optionally an IAM user), the
 * ingestion pipeline, backfill and the tag schedule, plus the outputs {@code configure-lightly} reads.
 */
public final class IngestStack extends Stack {

    public IngestStack(Construct scope, String id, StackProps props, StackSettings settings) {
        super(scope, id, props);
        var buckets = new DatasourceBuckets(this, "Buckets", new DatasourceBuckets.Props(settings.input(),
                settings.output(), settings.inputKmsKeyArn(), settings.outputKmsKeyArn(), settings.bucketEncryption()));
        String inputPrefix = settings.input().prefix();
        String outputPrefix = settings.output().prefix();
        String inputUri = s3Uri(buckets.input(), inputPrefix);
        String outputUri = s3Uri(buckets.output(), outputPrefix);

        var access = new LightlyAccessRole(this, "LightlyAccess", new LightlyAccessRole.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix,
                settings.lightlyAccountId(), settings.externalId(), settings.roleName()));
        List<String> lightlyPrincipals = new ArrayList<>(List.of(access.role().getRoleArn()));
        if (settings.createIamUser()) {
            var user = new LightlyAccessUser(this, "LightlyUser", new LightlyAccessUser.Props(access.policy()));
            lightlyPrincipals.add(user.user().getUserArn());
            output(StackOutput.USER_SECRET, user.accessKeySecret().getSecretArn(),
                    "Secrets Manager secret with the access key of the IAM user for Lightly (never printed)");
        }

        ISecret token = Secret.fromSecretNameV2(this, "LightlyToken", settings.lightlyTokenSecretName());
        // Every function gets the contract's variables for it from these values (FunctionEnvironment).
        Map<EnvironmentVariable, String> values = new EnumMap<>(EnvironmentVariable.class);
        values.put(EnvironmentVariable.INPUT_URI, inputUri);
        values.put(EnvironmentVariable.OUTPUT_URI, outputUri);
        values.put(EnvironmentVariable.UPLOAD_MODE, settings.uploadMode().code());
        values.put(EnvironmentVariable.THUMB_SUFFIX, settings.thumbSuffix());
        values.put(EnvironmentVariable.THUMB_SIZE, Integer.toString(settings.thumbSize()));
        values.put(EnvironmentVariable.MAX_PIXELS, Long.toString(settings.maxPixels()));
        values.put(EnvironmentVariable.MAX_OBJECT_BYTES, Long.toString(settings.maxObjectBytes()));
        // A claim older than two invocations belongs to one that was killed (timeout, out of memory): the
        // redelivery after the visibility timeout can take the object over at once.
        values.put(EnvironmentVariable.CLAIM_LEASE_SECONDS, Integer.toString(2 * settings.functionTimeoutSeconds()));
        values.put(EnvironmentVariable.LIGHTLY_DATASET_ID, settings.lightlyDatasetId());
        values.put(EnvironmentVariable.LIGHTLY_REQUEST_TIMEOUT,
                Integer.toString(Defaults.LIGHTLY_REQUEST_TIMEOUT_SECONDS));
        values.put(EnvironmentVariable.LIGHTLY_TOKEN_SECRET_ID, settings.lightlyTokenSecretName());
        settings.lightlyServerLocation().ifPresent(url -> values.put(EnvironmentVariable.LIGHTLY_SERVER_LOCATION, url));
        values.put(EnvironmentVariable.CUSTOM_METADATA, settings.customMetadata());
        settings.keyPattern().ifPresent(pattern -> values.put(EnvironmentVariable.KEY_PATTERN, pattern));
        settings.sidecarFile().ifPresent(uri -> values.put(EnvironmentVariable.SIDECAR_FILE, uri));

        var pipeline = new IngestionPipeline(this, "Ingestion", new IngestionPipeline.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix, token, settings.functionsJar(),
                settings.functionMemoryMb(), settings.functionTimeoutSeconds(),
                settings.maxConcurrency(), FunctionEnvironment.of(LambdaFunction.INGEST, values),
                settings.readsObjectTags(), settings.sidecarFile()));
        values.put(EnvironmentVariable.INGEST_QUEUE_URL, pipeline.queue().getQueueUrl());

        String backfillName = settings.stackName() + "-backfill";
        var backfill = new Backfill(this, "Backfill", new Backfill.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix, pipeline.queue(),
                settings.functionsJar(), backfillName, FunctionEnvironment.of(LambdaFunction.BACKFILL, values)));

        var tags = new TagSchedule(this, "Tagging", new TagSchedule.Props(token, settings.functionsJar(),
                settings.tagSchedule(), FunctionEnvironment.of(LambdaFunction.TAG, values)));

        KeyPermissions.grant(buckets, access.policy(), pipeline.function().role(), backfill.function().role());
        var alarms = new IngestionAlarms(this, "Alarms", new IngestionAlarms.Props(settings.stackName(), pipeline,
                settings.alarmEmail(), settings.maxMessageAgeSeconds()));
        var dashboard = new IngestionDashboard(this, "Dashboard", new IngestionDashboard.Props(
                settings.stackName() + "-" + Aws.REGION, pipeline, List.copyOf(alarms.alarms()),
                settings.maxMessageAgeSeconds()));

        suppressNotificationHandlerFindings();

        output(StackOutput.ROLE_ARN, access.role().getRoleArn(), "Role Lightly assumes (S3 delegated access)");
        output(StackOutput.INPUT_URI, inputUri, "Lightly INPUT datasource");
        output(StackOutput.OUTPUT_URI, outputUri, "Lightly LIGHTLY (output) datasource");
        output(StackOutput.REGION, Aws.REGION, "Region of the buckets and functions");
        output(StackOutput.DATASET_ID, settings.lightlyDatasetId(), "Lightly dataset the samples go to");
        output(StackOutput.THUMB_SUFFIX, settings.thumbSuffix(), "Thumb suffix of the output datasource");
        output(StackOutput.UPLOAD_MODE, settings.uploadMode().code(), "thumbnails or metadata");
        output(StackOutput.CUSTOM_METADATA, settings.customMetadata(),
                "Custom metadata sources of the ingestion function");
        settings.keyPattern().ifPresent(pattern -> output(StackOutput.KEY_PATTERN, pattern,
                "Key pattern of the custom metadata source key"));
        output(StackOutput.QUEUE_URL, pipeline.queue().getQueueUrl(), "Ingestion queue");
        output(StackOutput.DLQ_URL, pipeline.deadLetterQueue().getQueueUrl(),
                "Messages that failed ingestion repeatedly");
        output(StackOutput.INGEST_FUNCTION, pipeline.function().function().getFunctionName(), "Ingestion function");
        output(StackOutput.BACKFILL_FUNCTION, backfill.function().function().getFunctionName(), "Backfill function");
        output(StackOutput.TAG_FUNCTION, tags.function().function().getFunctionName(), "Scheduled tag function");
        output(StackOutput.CONFIGURE_COMMAND, "java -jar " + Defaults.FUNCTIONS_JAR + " configure-lightly --stack "
                        + settings.stackName() + " --external-id <your external id>",
                "Sets the Lightly dataset's datasources to this stack's role and buckets");
        output(StackOutput.BACKFILL_COMMAND, "aws lambda invoke --region " + Aws.REGION + " --function-name "
                        + backfillName + " --invocation-type Event --cli-binary-format raw-in-base64-out"
                        + " --payload '{}' /dev/null",
                "Ingests objects that were already in the input datasource");
        output(StackOutput.ALARM_TOPIC_ARN, alarms.topic().getTopicArn(),
                "SNS topic every alarm notifies (subscribe to it)");
        output(StackOutput.ALARM_NAMES, String.join(",", alarms.alarms().stream().map(Alarm::getAlarmName).toList()),
                "The stack's CloudWatch alarms, comma-separated");
        output(StackOutput.DASHBOARD_NAME, dashboard.dashboard().getDashboardName(),
                "CloudWatch dashboard of the ingestion");
        output(StackOutput.DASHBOARD_URL, dashboard.consoleUrl(), "Console address of the dashboard");
        buckets.inputKeyArn()
                .ifPresent(key -> output(StackOutput.INPUT_KMS_KEY_ARN, key, "KMS key of the input objects"));
        buckets.outputKeyArn()
                .ifPresent(key -> output(StackOutput.OUTPUT_KMS_KEY_ARN, key, "KMS key of the output objects"));
        String keyPolicyAdvice = "Add this statement to the key's policy if it is in another account or does not "
                + "let IAM policies grant its use";
        settings.inputKmsKeyArn().ifPresent(key -> output(StackOutput.INPUT_KMS_KEY_POLICY,
                KeyPermissions.keyPolicyStatement("LightlyS3IngestReadInput",
                        concat(lightlyPrincipals, pipeline.function().role().getRoleArn()),
                        List.of(KeyPermissions.READ_ACTION)), keyPolicyAdvice));
        settings.outputKmsKeyArn().ifPresent(key -> output(StackOutput.OUTPUT_KMS_KEY_POLICY,
                KeyPermissions.keyPolicyStatement("LightlyS3IngestReadWriteOutput",
                        concat(lightlyPrincipals, pipeline.function().role().getRoleArn(),
                                backfill.function().role().getRoleArn()),
                        KeyPermissions.READ_WRITE_ACTIONS), keyPolicyAdvice));
        if (!buckets.existingBucketNames().isEmpty()) {
            output(StackOutput.TLS_STATEMENT, tlsOnlyStatement(buckets.existingBucketNames()),
                    "Add this statement to the existing bucket's policy yourself; the stack never replaces it");
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static String s3Uri(IBucket bucket, String prefix) {
        return "s3://" + bucket.getBucketName() + "/" + prefix;
    }

    private void output(StackOutput output, String value, String description) {
        CfnOutput.Builder.create(this, output.key()).value(value).description(description).build();
    }

    /** The deny-non-TLS statement a created bucket gets, for the owner of an existing bucket to add by hand. */
    static String tlsOnlyStatement(List<String> bucketNames) {
        StringBuilder resources = new StringBuilder();
        for (String name : bucketNames) {
            String arn = "arn:" + Aws.PARTITION + ":s3:::" + name;
            resources.append(resources.length() == 0 ? "" : ",")
                    .append('"').append(arn).append("\",\"").append(arn).append("/*\"");
        }
        return "{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":[" + resources + "],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
    }

    /** CDK's own handler that writes bucket notification configurations; its role is not ours to shape. */
    private void suppressNotificationHandlerFindings() {
        String path = getNode().getPath() + "/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role";
        NagSuppressions.addResourceSuppressionsByPath(this, path, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason("CDK's bucket-notification custom resource handler uses AWSLambdaBasicExecutionRole for "
                        + "its own logs; it runs only during deployments and its S3 grant is scoped to the bucket.")
                .appliesTo(List.of(
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                .build()), true);
    }
}
