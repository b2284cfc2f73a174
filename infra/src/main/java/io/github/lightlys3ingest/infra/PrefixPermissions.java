package io.github.lightlys3ingest.infra;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * IAM statements scoped to one key prefix of one bucket. Every grant in this stack goes through here, so the
 * role Lightly assumes, the optional IAM user and the functions get the same narrow shape: explicit actions,
 * objects under the prefix only, listing only with an {@code s3:prefix} condition.
 */
public final class PrefixPermissions {

    private PrefixPermissions() {
    }

    /** Allows the given object actions on keys under {@code prefix}. */
    public static PolicyStatement objects(IBucket bucket, String prefix, String... actions) {
        return objects(bucket, List.of(prefix), actions);
    }

    /** Allows the given object actions on keys under any of {@code prefixes}. */
    public static PolicyStatement objects(IBucket bucket, List<String> prefixes, String... actions) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of(actions))
                .resources(prefixes.stream().map(prefix -> bucket.arnForObjects(prefix + "*")).toList())
                .build();
    }

    /** Allows {@code s3:ListBucket} on the bucket only for listings whose prefix lies under {@code prefix}. */
    public static PolicyStatement list(IBucket bucket, String prefix) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "*"))))
                .build();
    }

    /**
     * Allows {@code s3:ListBucket} on whole buckets, without a prefix condition. The functions list nothing
     * with it: S3 answers a GET of a missing key with 404 only to callers that may list the bucket, and 403
     * otherwise, and the functions must tell "no record yet" and "object deleted" from "access denied". A
     * GET carries no {@code s3:prefix}, so a prefix-conditioned grant would not do.
     */
    public static PolicyStatement keyExistence(IBucket... buckets) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket"))
                .resources(Arrays.stream(buckets).map(IBucket::getBucketArn).distinct().toList())
                .build();
    }

    /**
     * Suppresses cdk-nag's wildcard finding (AwsSolutions-IAM5) for exactly the object ARNs ending in
     * {@code <prefix>*} of the given prefixes; any other wildcard in the same policy is still reported.
     */
    public static NagPackSuppression prefixWildcardSuppression(String reason, String... prefixes) {
        List<Object> appliesTo = Arrays.stream(prefixes)
                .distinct()
                .map(prefix -> (Object) RegexAppliesTo.builder()
                        .regex("/^Resource::(arn:<AWS::Partition>:s3:::[^/]+|<[^>]+\\.Arn>)/"
                                + escapeForJsRegex(prefix) + "\\*$/")
                        .build())
                .toList();
        return NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(appliesTo).build();
    }

    private static String escapeForJsRegex(String text) {
        return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}/]", "\\\\$0");
    }
}
