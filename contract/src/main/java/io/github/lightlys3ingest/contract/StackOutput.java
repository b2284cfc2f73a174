package io.github.lightlys3ingest.contract;

/** The stack's CloudFormation outputs; the CLI's {@code --stack} options read them by {@link #key()}. */
public enum StackOutput {
    ROLE_ARN("LightlyRoleArn"),
    INPUT_URI("InputDatasourceUri"),
    OUTPUT_URI("OutputDatasourceUri"),
    REGION("Region"),
    DATASET_ID("LightlyDatasetId"),
    THUMB_SUFFIX("ThumbSuffix"),
    UPLOAD_MODE("UploadMode"),
    /** The ingestion function's custom metadata sources. */
    CUSTOM_METADATA("CustomMetadata"),
    /** Only with the custom metadata source key. */
    KEY_PATTERN("KeyPattern"),
    QUEUE_URL("IngestQueueUrl"),
    DLQ_URL("DeadLetterQueueUrl"),
    INGEST_FUNCTION("IngestFunctionName"),
    BACKFILL_FUNCTION("BackfillFunctionName"),
    TAG_FUNCTION("TagFunctionName"),
    CONFIGURE_COMMAND("ConfigureLightlyCommand"),
    BACKFILL_COMMAND("BackfillCommand"),
    /** Only with an IAM user for Lightly. */
    USER_SECRET("LightlyUserAccessKeySecretArn"),
    /** Only with existing buckets. */
    TLS_STATEMENT("ExistingBucketTlsStatement"),
    /** SNS topic every alarm of the stack notifies. */
    ALARM_TOPIC_ARN("AlarmTopicArn"),
    /** The stack's CloudWatch alarm names, comma-separated (for DescribeAlarms). */
    ALARM_NAMES("AlarmNames"),
    DASHBOARD_NAME("DashboardName"),
    DASHBOARD_URL("DashboardUrl"),
    /** KMS key of the input objects; only when they are SSE-KMS encrypted. */
    INPUT_KMS_KEY_ARN("InputKmsKeyArn"),
    /** KMS key of the output objects; only when they are SSE-KMS encrypted. */
    OUTPUT_KMS_KEY_ARN("OutputKmsKeyArn"),
    /** Key-policy statement for the owner of an existing input key; only with inputKmsKeyArn. */
    INPUT_KMS_KEY_POLICY("InputKmsKeyPolicyStatement"),
    /** Key-policy statement for the owner of an existing output key; only with outputKmsKeyArn. */
    OUTPUT_KMS_KEY_POLICY("OutputKmsKeyPolicyStatement");

    private final String key;

    StackOutput(String key) {
        this.key = key;
    }

    /** The output's logical name in the template and in DescribeStacks. */
    public String key() {
        return key;
    }
}
