package io.github.lightlys3ingest.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The whole deployment: datasource buckets, the role Lightly assumes (and optionally an IAM user), the
 * ingestion pipeline, backfill and the tag schedule, plus the outputs {@code configure-lightly} reads.
 */
public final class IngestStack extends Stack {

    /** Output keys; the CLI's {@code configure-lightly --stack} reads the stack's outputs by these names. */
    public static final String OUT_ROLE_ARN = "LightlyRoleArn";
    public static final String OUT_INPUT_URI = "InputDatasourceUri";
    public static final String OUT_OUTPUT_URI = "OutputDatasourceUri";
    public static final String OUT_REGION = "Region";
    public static final String OUT_DATASET_ID = "LightlyDatasetId";
    public static final String OUT_THUMB_SUFFIX = "ThumbSuffix";
    public static final String OUT_UPLOAD_MODE = "UploadMode";
    public static final String OUT_CUSTOM_METADATA = "CustomMetadata";
    public static final String OUT_KEY_PATTERN = "KeyPattern";
    public static final String OUT_QUEUE_URL = "IngestQueueUrl";
    public static final String OUT_DLQ_URL = "DeadLetterQueueUrl";
    public static final String OUT_INGEST_FUNCTION = "IngestFunctionName";
    public static final String OUT_BACKFILL_FUNCTION = "BackfillFunctionName";
    public static final String OUT_TAG_FUNCTION = "TagFunctionName";
    public static final String OUT_CONFIGURE_COMMAND = "ConfigureLightlyCommand";
    public static final String OUT_BACKFILL_COMMAND = "BackfillCommand";
    public static final String OUT_USER_SECRET = "LightlyUserAccessKeySecretArn";
    public static final String OUT_TLS_STATEMENT = "ExistingBucketTlsStatement";

    public IngestStack(Construct scope, String id, StackProps props, StackSettings settings) {
        super(scope, id, props);
        var buckets = new DatasourceBuckets(this, "Buckets",
                new DatasourceBuckets.Props(settings.input(), settings.output()));
        String inputPrefix = settings.input().prefix();
        String outputPrefix = settings.output().prefix();
        String inputUri = s3Uri(buckets.input(), inputPrefix);
        String outputUri = s3Uri(buckets.output(), outputPrefix);

        var access = new LightlyAccessRole(this, "LightlyAccess", new LightlyAccessRole.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix,
                settings.lightlyAccountId(), settings.externalId(), settings.roleName()));
        if (settings.createIamUser()) {
            var user = new LightlyAccessUser(this, "LightlyUser", new LightlyAccessUser.Props(access.policy()));
            output(OUT_USER_SECRET, user.accessKeySecret().getSecretArn(),
                    "Secrets Manager secret with the access key of the IAM user for Lightly (never printed)");
        }

        ISecret token = Secret.fromSecretNameV2(this, "LightlyToken", settings.lightlyTokenSecretName());
        Map<String, String> lightlyEnvironment = new LinkedHashMap<>();
        lightlyEnvironment.put("LIGHTLY_DATASET_ID", settings.lightlyDatasetId());
        lightlyEnvironment.put("LIGHTLY_TOKEN_SECRET_ID", settings.lightlyTokenSecretName());
        settings.lightlyServerLocation().ifPresent(url -> lightlyEnvironment.put("LIGHTLY_SERVER_LOCATION", url));
        lightlyEnvironment.put("UPLOAD_MODE", settings.uploadMode().environmentValue());

        Map<String, String> ingestEnvironment = new LinkedHashMap<>(lightlyEnvironment);
        ingestEnvironment.put("INPUT_URI", inputUri);
        ingestEnvironment.put("OUTPUT_URI", outputUri);
        ingestEnvironment.put("THUMB_SUFFIX", settings.thumbSuffix());
        ingestEnvironment.put("THUMB_SIZE", Integer.toString(settings.thumbSize()));
        ingestEnvironment.put("MAX_PIXELS", Long.toString(settings.maxPixels()));
        ingestEnvironment.put("MAX_OBJECT_BYTES", Long.toString(settings.maxObjectBytes()));
        // A claim older than two invocations belongs to one that was killed (timeout, out of memory): the
        // redelivery after the visibility timeout can take the object over at once.
        ingestEnvironment.put("CLAIM_LEASE_SECONDS", Integer.toString(2 * settings.functionTimeoutSeconds()));
        ingestEnvironment.put("CUSTOM_METADATA", settings.customMetadata());
        settings.keyPattern().ifPresent(pattern -> ingestEnvironment.put("KEY_PATTERN", pattern));
        var pipeline = new IngestionPipeline(this, "Ingestion", new IngestionPipeline.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix, token, settings.functionsJar(),
                settings.functionMemoryMb(), settings.functionTimeoutSeconds(),
                settings.maxConcurrency(), ingestEnvironment, settings.readsObjectTags()));

        String backfillName = settings.stackName() + "-backfill";
        var backfill = new Backfill(this, "Backfill", new Backfill.Props(
                buckets.input(), inputPrefix, buckets.output(), outputPrefix, pipeline.queue(),
                settings.functionsJar(), backfillName, Map.of(
                        "INPUT_URI", inputUri,
                        "OUTPUT_URI", outputUri,
                        // a record counts as done only when it names a sample in this dataset
                        "LIGHTLY_DATASET_ID", settings.lightlyDatasetId(),
                        "INGEST_QUEUE_URL", pipeline.queue().getQueueUrl())));

        // The tag step reads the same configuration as the ingester (it validates the datasources too).
        Map<String, String> tagEnvironment = new LinkedHashMap<>(lightlyEnvironment);
        tagEnvironment.put("INPUT_URI", inputUri);
        tagEnvironment.put("OUTPUT_URI", outputUri);
        var tags = new TagSchedule(this, "Tagging", new TagSchedule.Props(
                token, settings.functionsJar(), settings.tagSchedule(), tagEnvironment));

        suppressNotificationHandlerFindings();

        output(OUT_ROLE_ARN, access.role().getRoleArn(), "Role Lightly assumes (S3 delegated access)");
        output(OUT_INPUT_URI, inputUri, "Lightly INPUT datasource");
        output(OUT_OUTPUT_URI, outputUri, "Lightly LIGHTLY (output) datasource");
        output(OUT_REGION, Aws.REGION, "Region of the buckets and functions");
        output(OUT_DATASET_ID, settings.lightlyDatasetId(), "Lightly dataset the samples go to");
        output(OUT_THUMB_SUFFIX, settings.thumbSuffix(), "Thumb suffix of the output datasource");
        output(OUT_UPLOAD_MODE, settings.uploadMode().environmentValue(), "thumbnails or metadata");
        output(OUT_CUSTOM_METADATA, settings.customMetadata(), "Custom metadata sources of the ingestion function");
        settings.keyPattern().ifPresent(pattern -> output(OUT_KEY_PATTERN, pattern,
                "Key pattern of the custom metadata source key"));
        output(OUT_QUEUE_URL, pipeline.queue().getQueueUrl(), "Ingestion queue");
        output(OUT_DLQ_URL, pipeline.deadLetterQueue().getQueueUrl(), "Messages that failed ingestion repeatedly");
        output(OUT_INGEST_FUNCTION, pipeline.function().function().getFunctionName(), "Ingestion function");
        output(OUT_BACKFILL_FUNCTION, backfill.function().function().getFunctionName(), "Backfill function");
        output(OUT_TAG_FUNCTION, tags.function().function().getFunctionName(), "Scheduled tag function");
        output(OUT_CONFIGURE_COMMAND, "java -jar " + StackSettings.DEFAULT_FUNCTIONS_JAR + " configure-lightly --stack "
                        + settings.stackName() + " --external-id <your external id>",
                "Sets the Lightly dataset's datasources to this stack's role and buckets");
        output(OUT_BACKFILL_COMMAND, "aws lambda invoke --region " + Aws.REGION + " --function-name "
                        + backfillName + " --invocation-type Event --cli-binary-format raw-in-base64-out"
                        + " --payload '{}' /dev/null",
                "Ingests objects that were already in the input datasource");
        if (!buckets.existingBucketNames().isEmpty()) {
            output(OUT_TLS_STATEMENT, tlsOnlyStatement(buckets.existingBucketNames()),
                    "Add this statement to the existing bucket's policy yourself; the stack never replaces it");
        }
    }

    private static String s3Uri(IBucket bucket, String prefix) {
        return "s3://" + bucket.getBucketName() + "/" + prefix;
    }

    private void output(String key, String value, String description) {
        CfnOutput.Builder.create(this, key).value(value).description(description).build();
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
