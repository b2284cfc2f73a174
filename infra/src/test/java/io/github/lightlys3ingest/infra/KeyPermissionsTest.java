package io.github.lightlys3ingest.infra;

import io.github.lightlys3ingest.contract.StackOutput;
import static io.github.lightlys3ingest.infra.TemplateView.actions;
import static io.github.lightlys3ingest.infra.TemplateView.properties;
import static io.github.lightlys3ingest.infra.TemplateView.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * SSE-KMS datasources: the key the stack creates for its buckets ({@code bucketEncryption=kms}), the grants on
 * given keys of existing buckets ({@code inputKmsKeyArn}, {@code outputKmsKeyArn}), and the key-policy
 * statements the stack prints for the keys' owners.
 */
@SuppressWarnings("unchecked")
class KeyPermissionsTest {

    private static final String VIA_S3 = "s3.${AWS::Region}.${AWS::URLSuffix}";

    /** Asserts that the statement's only condition is that S3 in the stack's region makes the call. */
    private static void assertOnlyThroughS3(Map<String, Object> statement) {
        var condition = (Map<String, Object>) statement.get("Condition");
        assertEquals(Set.of("StringEquals"), condition.keySet(), statement.toString());
        var equals = (Map<String, Object>) condition.get("StringEquals");
        assertEquals(Set.of("kms:ViaService"), equals.keySet(), statement.toString());
        assertEquals(VIA_S3, render(equals.get("kms:ViaService")), statement.toString());
    }

    /** The KMS statements of a policy, as "actions -> resource", each checked to hold only through S3. */
    private static Map<String, String> kmsGrants(List<Map<String, Object>> statements) {
        Map<String, String> grants = new TreeMap<>();
        for (var statement : statements) {
            List<String> actions = actions(statement);
            if (actions.stream().anyMatch(action -> action.startsWith("kms:"))) {
                assertOnlyThroughS3(statement);
                assertEquals("Allow", statement.get("Effect"));
                String key = String.join(",", actions);
                String previous = grants.put(key, render(statement.get("Resource")));
                if (previous != null) {
                    grants.put(key, previous + "|" + render(statement.get("Resource")));
                }
            }
        }
        return grants;
    }

    private static Map<String, Object> bySid(List<Map<String, Object>> statements, String sid) {
        return statements.stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    private static String datasourceKeyArn(TemplateView view) {
        return "${" + view.resources("AWS::KMS::Key").keySet().stream()
                .filter(id -> id.startsWith("BucketsKey")).findFirst().orElseThrow() + ".Arn}";
    }

    // --- no KMS settings ---

    @Test
    void withoutKmsSettingsBucketsUseSseS3AndNoRoleMayUseAKey() {
        TemplateView view = EncryptedStacks.plain();
        for (String bucket : List.of("BucketsInput", "BucketsOutput")) {
            assertEquals("AES256", sseAlgorithm(view, bucket), bucket);
        }
        assertEquals(Set.of("AlarmsTopicKey"), keyIdsWithoutHash(view), "only the alarm topic's key");
        for (String policy : List.of("IngestionIngestRoleDefaultPolicy", "BackfillRoleDefaultPolicy",
                "TaggingTagRoleDefaultPolicy", "LightlyAccessDatasourcePolicy")) {
            assertEquals(Map.of(), kmsGrants(view.statements(policy, "PolicyDocument")), policy);
        }
        assertFalse(view.outputs().containsKey(StackOutput.INPUT_KMS_KEY_ARN.key()));
        assertFalse(view.outputs().containsKey(StackOutput.OUTPUT_KMS_KEY_ARN.key()));
        assertFalse(view.outputs().containsKey(StackOutput.INPUT_KMS_KEY_POLICY.key()));
    }

    private static Set<String> keyIdsWithoutHash(TemplateView view) {
        Set<String> ids = new java.util.TreeSet<>();
        view.resources("AWS::KMS::Key").keySet().forEach(id -> ids.add(id.replaceAll("[0-9A-F]{8}$", "")));
        return ids;
    }

    private static Object sseAlgorithm(TemplateView view, String bucket) {
        return sseDefault(view, bucket).get("SSEAlgorithm");
    }

    private static Map<String, Object> sseDefault(TemplateView view, String bucket) {
        var encryption = (Map<String, Object>) properties(view.resource(bucket)).get("BucketEncryption");
        var rule = ((List<Map<String, Object>>) encryption.get("ServerSideEncryptionConfiguration")).get(0);
        return (Map<String, Object>) rule.get("ServerSideEncryptionByDefault");
    }

    // --- bucketEncryption=kms ---

    @Test
    void createdBucketsUseOneRotatingRetainedStackKeyWithBucketKeys() {
        TemplateView view = EncryptedStacks.stackKey();
        assertEquals(Set.of("AlarmsTopicKey", "BucketsKey"), keyIdsWithoutHash(view));
        var key = view.resource("BucketsKey");
        assertEquals(true, properties(key).get("EnableKeyRotation"));
        assertEquals("Retain", key.get("DeletionPolicy"), "the retained buckets' objects stay readable");
        for (String bucket : List.of("BucketsInput", "BucketsOutput")) {
            assertEquals("aws:kms", sseAlgorithm(view, bucket), bucket);
            assertEquals(datasourceKeyArn(view), render(sseDefault(view, bucket).get("KMSMasterKeyID")), bucket);
            var rule = ((List<Map<String, Object>>) ((Map<String, Object>) properties(view.resource(bucket))
                    .get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).get(0);
            assertEquals(true, rule.get("BucketKeyEnabled"), bucket);
        }
        assertEquals("AES256", sseAlgorithm(view, "BucketsAccessLogs"), "S3 access logging requires SSE-S3");
    }

    @Test
    void theStackKeyIsGrantedThroughS3ToLightlyTheIngestionAndTheBackfill() {
        TemplateView view = EncryptedStacks.stackKey();
        String key = datasourceKeyArn(view);
        Map<String, String> readAndWrite = Map.of("kms:Decrypt", key, "kms:Decrypt,kms:GenerateDataKey", key);
        assertEquals(readAndWrite, kmsGrants(view.statements("LightlyAccessDatasourcePolicy", "PolicyDocument")));
        assertEquals(readAndWrite, kmsGrants(view.statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument")));
        assertEquals(Map.of("kms:Decrypt,kms:GenerateDataKey", key),
                kmsGrants(view.statements("BackfillRoleDefaultPolicy", "PolicyDocument")));
        assertEquals(Map.of(), kmsGrants(view.statements("TaggingTagRoleDefaultPolicy", "PolicyDocument")));
        assertEquals(key, view.output(StackOutput.INPUT_KMS_KEY_ARN.key()));
        assertEquals(key, view.output(StackOutput.OUTPUT_KMS_KEY_ARN.key()));
        assertFalse(view.outputs().containsKey(StackOutput.INPUT_KMS_KEY_POLICY.key()),
                "the stack's key trusts the account");
        assertFalse(view.outputs().containsKey(StackOutput.OUTPUT_KMS_KEY_POLICY.key()));
    }

    // --- keys of existing buckets ---

    @Test
    void lightlyPolicyMayDecryptWithTheInputKeyAndEncryptWithTheOutputKeyOnlyThroughS3() {
        var statements = EncryptedStacks.givenKeys().statements("LightlyAccessDatasourcePolicy", "PolicyDocument");
        assertEquals(6, statements.size(), "the four S3 statements and two KMS statements");
        var input = bySid(statements, "DecryptInputObjects");
        assertEquals(List.of("kms:Decrypt"), actions(input));
        assertEquals(EncryptedStacks.INPUT_KEY, input.get("Resource"));
        assertOnlyThroughS3(input);
        var output = bySid(statements, "EncryptDecryptOutputObjects");
        assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), actions(output));
        assertEquals(EncryptedStacks.OUTPUT_KEY, output.get("Resource"));
        assertOnlyThroughS3(output);
    }

    @Test
    void ingestionRoleMayDecryptInputObjectsAndEncryptOutputObjects() {
        assertEquals(Map.of("kms:Decrypt", EncryptedStacks.INPUT_KEY,
                        "kms:Decrypt,kms:GenerateDataKey", EncryptedStacks.OUTPUT_KEY),
                kmsGrants(EncryptedStacks.givenKeys()
                        .statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument")));
    }

    @Test
    void backfillRoleGetsOnlyTheOutputKeyBecauseItNeverReadsAnInputObject() {
        assertEquals(Map.of("kms:Decrypt,kms:GenerateDataKey", EncryptedStacks.OUTPUT_KEY),
                kmsGrants(EncryptedStacks.givenKeys().statements("BackfillRoleDefaultPolicy", "PolicyDocument")));
    }

    @Test
    void givenKeysAreUsedAsTheyAreWithoutCreatingOne() {
        TemplateView view = EncryptedStacks.givenKeys();
        assertEquals(Set.of("AlarmsTopicKey"), keyIdsWithoutHash(view));
        assertEquals(EncryptedStacks.INPUT_KEY, view.output(StackOutput.INPUT_KMS_KEY_ARN.key()));
        assertEquals(EncryptedStacks.OUTPUT_KEY, view.output(StackOutput.OUTPUT_KMS_KEY_ARN.key()));
    }

    @Test
    void keyPolicyStatementsNameEveryPrincipalThatUsesEachKey() throws Exception {
        TemplateView view = EncryptedStacks.givenKeys();
        var mapper = new ObjectMapper();
        Map<String, Object> input = mapper.readValue(view.output(StackOutput.INPUT_KMS_KEY_POLICY.key()), Map.class);
        Map<String, Object> output = mapper.readValue(view.output(StackOutput.OUTPUT_KMS_KEY_POLICY.key()), Map.class);
        assertEquals(List.of("kms:Decrypt"), input.get("Action"));
        assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), output.get("Action"));
        for (var statement : List.of(input, output)) {
            assertEquals("Allow", statement.get("Effect"));
            assertEquals("*", statement.get("Resource"), "a key policy applies to its own key");
            assertOnlyThroughS3(statement);
        }
        List<String> inputPrincipals = principals(input);
        List<String> outputPrincipals = principals(output);
        assertEquals(3, inputPrincipals.size(), inputPrincipals.toString());
        assertTrue(inputPrincipals.get(0).startsWith("${LightlyAccessRole"), inputPrincipals.toString());
        assertTrue(inputPrincipals.get(1).startsWith("${LightlyUser"), inputPrincipals.toString());
        assertTrue(inputPrincipals.get(2).startsWith("${IngestionIngestRole"), inputPrincipals.toString());
        List<String> expectedOutput = new ArrayList<>(inputPrincipals);
        expectedOutput.add(outputPrincipals.get(3));
        assertEquals(expectedOutput, outputPrincipals);
        assertTrue(outputPrincipals.get(3).startsWith("${BackfillRole"), outputPrincipals.toString());
        outputPrincipals.forEach(arn -> assertTrue(arn.endsWith(".Arn}"), arn));
    }

    private static List<String> principals(Map<String, Object> statement) {
        return (List<String>) ((Map<String, Object>) statement.get("Principal")).get("AWS");
    }
}
