package io.github.lightlys3ingest.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * KMS grants for SSE-KMS datasources. S3 calls KMS with the caller's identity: reading an object needs
 * {@code kms:Decrypt} on its key, writing one needs {@code kms:GenerateDataKey} (and {@code kms:Decrypt} for
 * multipart uploads and bucket keys). Every grant names one key and holds only for calls S3 makes in the
 * stack's region ({@code kms:ViaService}), so none of the roles can use the key directly.
 */
public final class KeyPermissions {

    static final String READ_ACTION = "kms:Decrypt";
    static final List<String> READ_WRITE_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

    private KeyPermissions() {
    }

    /** The service KMS sees S3 as; {@code amazonaws.com.cn} in the China partition, hence the URL suffix. */
    static String s3ViaService() {
        return "s3." + Aws.REGION + "." + Aws.URL_SUFFIX;
    }

    /** Allows S3 to decrypt objects under {@code keyArn} for the grantee. */
    public static PolicyStatement read(String keyArn) {
        return statement(keyArn, List.of(READ_ACTION));
    }

    /** Allows S3 to decrypt and encrypt objects under {@code keyArn} for the grantee. */
    public static PolicyStatement readWrite(String keyArn) {
        return statement(keyArn, READ_WRITE_ACTIONS);
    }

    private static PolicyStatement statement(String keyArn, List<String> actions) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(keyArn))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", s3ViaService())))
                .build();
    }

    /**
     * Grants the datasource keys: the Lightly policy and the ingestion role may decrypt with the input key and
     * use the output key; the backfill role only the output key, as it lists the input but never reads an
     * input object (it reads records and writes claims in the output).
     */
    static void grant(DatasourceBuckets buckets, ManagedPolicy lightlyPolicy, IRole ingestRole, IRole backfillRole) {
        buckets.inputKeyArn().ifPresent(key -> {
            lightlyPolicy.addStatements(withSid("DecryptInputObjects", read(key)));
            ingestRole.addToPrincipalPolicy(read(key));
        });
        buckets.outputKeyArn().ifPresent(key -> {
            lightlyPolicy.addStatements(withSid("EncryptDecryptOutputObjects", readWrite(key)));
            ingestRole.addToPrincipalPolicy(readWrite(key));
            backfillRole.addToPrincipalPolicy(readWrite(key));
        });
    }

    private static PolicyStatement withSid(String sid, PolicyStatement statement) {
        statement.setSid(sid);
        return statement;
    }

    /**
     * The key-policy statement the owner of an existing key adds when the key's policy does not let IAM
     * policies in this account grant its use (a key in another account, or a policy without the account-root
     * statement): the principals may use the key through S3 in this region only.
     *
     * @param principalArns the roles (and user) that read or write the datasource
     * @param actions       {@link #READ_ACTION} for an input key, {@link #READ_WRITE_ACTIONS} for an output key
     */
    static String keyPolicyStatement(String sid, List<String> principalArns, List<String> actions) {
        return "{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[" + quoted(principalArns)
                + "]},\"Action\":[" + quoted(actions) + "],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                + "{\"kms:ViaService\":\"" + s3ViaService() + "\"}}}";
    }

    private static String quoted(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(","));
    }
}
