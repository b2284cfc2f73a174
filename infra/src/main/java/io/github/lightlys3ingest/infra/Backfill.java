package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.lightlys3ingest.contract.LambdaFunction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Manual backfill of objects that were in the input datasource before the stack existed: the function lists
 * the input prefix, skips objects that already have a record, sends S3-event-shaped messages to the ingestion
 * queue, and re-invokes itself asynchronously with a continuation token before its time runs out.
 */
public final class Backfill extends Construct {

    /** Where the ingestion writes one record per ingested object, relative to the output root. */
    public static final String RECORDS_PATH = ".lightly/ingest/records/";
    public static final String REJECTIONS_PATH = ".lightly/ingest/rejected/";
    public static final String CLAIMS_PATH = ".lightly/ingest/backfill/";
    /** Lambda's maximum; one run lists and enqueues as much as it can, then hands over to the next. */
    public static final Duration TIMEOUT = Duration.minutes(15);
    public static final int MEMORY_MB = 1024;

    /**
     * @param inputBucket  bucket of the input datasource
     * @param inputPrefix  its root prefix, the one listed
     * @param outputBucket bucket of the output datasource
     * @param outputPrefix its root prefix, under which records are looked up
     * @param ingestQueue  the ingestion queue
     * @param jar          the functions jar
     * @param functionName physical function name; fixed so the function may invoke itself without a cycle
     * @param environment  function environment
     */
    public record Props(IBucket inputBucket, String inputPrefix, IBucket outputBucket, String outputPrefix,
                        IQueue ingestQueue, Path jar, String functionName, Map<String, String> environment) {
    }

    private final JavaFunction function;

    public Backfill(Construct scope, String id, Props props) {
        super(scope, id);
        function = new JavaFunction(this, "Backfill", new JavaFunction.Props(LambdaFunction.BACKFILL.handler(),
                "Enqueues objects already in the input datasource for ingestion (invoke by hand)",
                props.jar(), MEMORY_MB, TIMEOUT, props.environment(), false, Optional.of(props.functionName())));
        var role = function.role();
        role.addToPrincipalPolicy(PrefixPermissions.list(props.inputBucket(), props.inputPrefix()));
        String recordsPrefix = props.outputPrefix() + RECORDS_PATH;
        String rejectionsPrefix = props.outputPrefix() + REJECTIONS_PATH;
        String claimsPrefix = props.outputPrefix() + CLAIMS_PATH;
        role.addToPrincipalPolicy(PrefixPermissions.objects(props.outputBucket(),
                List.of(recordsPrefix, rejectionsPrefix), "s3:GetObject"));
        // One claim per continuation event, so a redelivered event does not run the same slice twice.
        role.addToPrincipalPolicy(PrefixPermissions.objects(props.outputBucket(), claimsPrefix,
                "s3:PutObject", "s3:DeleteObject"));
        role.addToPrincipalPolicy(PrefixPermissions.keyExistence(props.outputBucket()));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(props.ingestQueue().getQueueArn()))
                .build());
        // The ARN is built from the fixed name: referencing the function itself would make its role policy
        // depend on the function, which already depends on the policy.
        String ownArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("lambda")
                .resource("function")
                .resourceName(props.functionName())
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(ownArn))
                .build());
        // Each continuation invokes the function itself; Lambda would stop such a chain after about 16 hops
        // (a few million objects), so this function is allowed to recurse. It stops when the listing ends.
        ((CfnFunction) function.function().getNode().getDefaultChild()).setRecursiveLoop("Allow");
        NagSuppressions.addResourceSuppressions(role, List.of(PrefixPermissions.prefixWildcardSuppression(
                "Backfill checks whether an object already has a record; record keys derive from object keys "
                        + "and are only known at run time.", recordsPrefix, rejectionsPrefix, claimsPrefix)), true);
    }

    /** The backfill function. */
    public JavaFunction function() {
        return function;
    }
}
