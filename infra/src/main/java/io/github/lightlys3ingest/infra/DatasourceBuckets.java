package io.github.lightlys3ingest.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
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
 * silently drop the owner's statements. Created buckets are private, TLS-only, S3-encrypted, owner-enforced,
 * logged to an access-log bucket, and retained when the stack is deleted (they hold the customer's data).
 */
public final class DatasourceBuckets extends Construct {

    /**
     * @param input  where the INPUT datasource lives
     * @param output where the LIGHTLY (output) datasource lives
     */
    public record Props(DatasourceLocation input, DatasourceLocation output) {
    }

    /** Where the ingester keeps one claim per ingested object version (see the functions' pipeline). */
    static final String CLAIMS_PATH = ".lightly/ingest/claims/";
    static final int CLAIM_EXPIRY_DAYS = 30;

    private final IBucket input;
    private final IBucket output;
    private final List<String> existingBucketNames = new ArrayList<>();
    private Bucket accessLogs;

    public DatasourceBuckets(Construct scope, String id, Props props) {
        super(scope, id);
        input = bucket("Input", props.input(), Optional.empty());
        output = bucket("Output", props.output(),
                props.output().sharesBucketWith(props.input()) ? Optional.of(input) : Optional.empty());
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
        return Bucket.Builder.create(this, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs())
                .serverAccessLogsPrefix(id.toLowerCase(Locale.ROOT) + "/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
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

    /** Names of the existing buckets the stack uses but does not manage (no policy, no settings). */
    public List<String> existingBucketNames() {
        return List.copyOf(existingBucketNames);
    }
}
