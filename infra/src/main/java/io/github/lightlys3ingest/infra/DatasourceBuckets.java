package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The input and output datasource buckets. Existing buckets are only referenced: the stack never creates a
 * bucket policy for them, because a CloudFormation bucket policy replaces the bucket's whole policy and would
 * silently drop the owner's statements. Created buckets are private, TLS-only, encrypted (SSE-S3, or SSE-KMS
 * with a key the stack creates), owner-enforced, logged to an access-log bucket, and retained when the stack
 * is deleted (they hold the customer's data). {@link #inputKeyArn()} and {@link #outputKeyArn()} name the KMS
 * key each datasource's objects are encrypted with, for the roles' grants.
 */
public final class DatasourceBuckets extends Construct {

    /**
     * @param input            where the INPUT datasource lives
     * @param output           where the LIGHTLY (output) datasource lives
     * @param inputKeyArn      KMS key of the existing input bucket's objects, if they are SSE-KMS encrypted
     * @param outputKeyArn     KMS key of the existing output bucket's objects, if they are SSE-KMS encrypted
     * @param createdEncryption how buckets the stack creates are encrypted
     */
    public record Props(DatasourceLocation input, DatasourceLocation output, Optional<String> inputKeyArn,
                        Optional<String> outputKeyArn, CreatedBucketEncryption createdEncryption) {
    }

    /** Where the ingester keeps one claim per ingested object version (see the functions' pipeline). */
    static final String CLAIMS_PATH = ".lightly/ingest/claims/";
    static final int CLAIM_EXPIRY_DAYS = 30;

    private final IBucket input;
    private final IBucket output;
    private final List<String> existingBucketNames = new ArrayList<>();
    private final CreatedBucketEncryption createdEncryption;
    private final Optional<String> inputKeyArn;
    private final Optional<String> outputKeyArn;
    private Bucket accessLogs;
    private Key key;

    public DatasourceBuckets(Construct scope, String id, Props props) {
        super(scope, id);
        createdEncryption = props.createdEncryption();
        input = bucket("Input", props.input(), Optional.empty());
        output = bucket("Output", props.output(),
                props.output().sharesBucketWith(props.input()) ? Optional.of(input) : Optional.empty());
        inputKeyArn = props.input().existingBucket().isPresent() ? props.inputKeyArn() : stackKeyArn();
        outputKeyArn = props.output().existingBucket().isPresent() ? props.outputKeyArn() : stackKeyArn();
        if (output instanceof Bucket created) {
            // Claims only guard against duplicate deliveries, which SQS keeps for at most 14 days.
            created.addLifecycleRule(LifecycleRule.builder()
                    .id("ExpireIngestClaims")
                    .prefix(props.output().prefix() + CLAIMS_PATH)
                    .expiration(Duration.days(CLAIM_EXPIRY_DAYS))
                    .build());
        }
    }

    private IBucket bucket(String id, DatasourceLocation location, Optional<IBucket> alreadyImported) {
        if (alreadyImported.isPresent()) {
            return alreadyImported.get();
        }
        if (location.existingBucket().isPresent()) {
            String name = location.existingBucket().get();
            existingBucketNames.add(name);
            return Bucket.fromBucketName(this, id, name);
        }
        var builder = Bucket.Builder.create(this, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED);
        if (createdEncryption == CreatedBucketEncryption.KMS) {
            // Bucket keys: S3 asks KMS for a data key per bucket and period instead of per object, which keeps
            // KMS request charges and throttling out of bulk ingestion.
            builder.encryption(BucketEncryption.KMS).encryptionKey(key()).bucketKeyEnabled(true);
        }
        return builder
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs())
                .serverAccessLogsPrefix(id.toLowerCase(Locale.ROOT) + "/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /** One key for every bucket the stack creates (the access-log bucket excepted: S3 logging needs SSE-S3). */
    private Key key() {
        if (key == null) {
            key = Key.Builder.create(this, "Key")
                    .description("Encrypts the Lightly datasource buckets created by this stack (SSE-KMS)")
                    .enableKeyRotation(true)
                    // Retained like the buckets: deleting the key would make the retained objects unreadable.
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
        }
        return key;
    }

    private Optional<String> stackKeyArn() {
        return Optional.ofNullable(key).map(Key::getKeyArn);
    }

    private Bucket accessLogs() {
        if (accessLogs == null) {
            accessLogs = Bucket.Builder.create(this, "AccessLogs")
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .encryption(BucketEncryption.S3_MANAGED)
                    .enforceSsl(true)
                    .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                    .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365)).build()))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            NagSuppressions.addResourceSuppressions(accessLogs, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-S1")
                    .reason("This is the server-access-log target of the datasource buckets; logging it into "
                            + "itself would log its own log deliveries without end.")
                    .build()));
        }
        return accessLogs;
    }

    /** The input datasource bucket (created or imported). */
    public IBucket input() {
        return input;
    }

    /** The output datasource bucket; the same object as {@link #input()} when both name one existing bucket. */
    public IBucket output() {
        return output;
    }

    /** ARN of the KMS key the input datasource's objects are encrypted with, when SSE-KMS. */
    public Optional<String> inputKeyArn() {
        return inputKeyArn;
    }

    /** ARN of the KMS key the output datasource's objects are encrypted with, when SSE-KMS. */
    public Optional<String> outputKeyArn() {
        return outputKeyArn;
    }

    /** The key the stack created for its buckets, when {@link CreatedBucketEncryption#KMS} created any. */
    public Optional<Key> createdKey() {
        return Optional.ofNullable(key);
    }

    /** Names of the existing buckets the stack uses but does not manage (no policy, no settings). */
    public List<String> existingBucketNames() {
        return List.copyOf(existingBucketNames);
    }
}
