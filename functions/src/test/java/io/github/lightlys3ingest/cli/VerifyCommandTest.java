package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.access.RoleCheck;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.DatasourcePurpose;
import io.github.lightlys3ingest.lightly.DatasourceVerification;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.S3DelegatedAccessDatasource;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code verify} against moto (and the Lightly stub for Lightly's own verify), run through {@link Main}. */
@ExtendWith(MotoExtension.class)
class VerifyCommandTest {
    private static final String EXTERNAL_ID = "farm-animals-2024-ext";

    private final String bucket = MotoServer.freshName("datalake");
    private final String input = "s3://" + bucket + "/projects/farm-animals/";
    private final String output = "s3://" + bucket + "/lightly-output/";
    private MotoServer moto;
    private S3Client s3;

    @BeforeEach
    void createBucket(MotoServer moto) {
        this.moto = moto;
        s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    private void putImage(String key) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
                RequestBody.fromBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, 5, 6,
                        7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    }

    private List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private CliRun verify(Map<String, String> env, String... args) {
        return CliRun.run(moto.clients(), env, args);
    }

    private static JsonNode light(JsonNode report, String subject, String check) {
        for (JsonNode light : report.path("lights")) {
            if (light.path("subject").asText().equals(subject) && light.path("check").asText().equals(check)) {
                return light;
            }
        }
        throw new AssertionError("no light " + subject + " " + check + " in " + report.toPrettyString());
    }

    private String createRole(String name, int maxSessionSeconds) {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::916419735646:root\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + EXTERNAL_ID + "\"}}}]}";
        try (IamClient iam = moto.clients().iam()) {
            return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)
                    .maxSessionDuration(maxSessionSeconds)).role().arn();
        }
    }

    @Test
    void allLightsAreGreenWithFullPermissionsAndTheProbeIsRemoved() {
        putImage("projects/farm-animals/cow.jpg");

        CliRun run = verify(Map.of(), "verify", "--input", input, "--output", output);

        assertEquals(0, run.exit(), run.both());
        assertEquals("", run.err());
        for (String check : List.of("List", "Write", "Read", "Overwrite", "Delete")) {
            assertTrue(run.out().lines().anyMatch(l -> l.matches("\\s+✔\\s+output\\s+" + check + "\\b.*")),
                    check + "\n" + run.both());
        }
        assertTrue(run.out().contains("read the first 16 bytes of cow.jpg"), run.both());
        assertFalse(run.out().contains("✘"), run.both());
        assertTrue(run.out().strip().endsWith("passed"), run.both());
        assertEquals(List.of(), keysUnder("lightly-output/.lightly/verify/"), "the probe object is left behind");
    }

    @Test
    void anEmptyInputPrefixIsYellowAndDoesNotFailTheRun() {
        CliRun run = verify(Map.of(), "verify", "--input", input, "--output", output);

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("\\s+–\\s+input\\s+Read\\s+skipped:"
                + " no object to read under " + java.util.regex.Pattern.quote(input))), run.both());
        assertTrue(run.out().contains("passed (1 not checked)"), run.both());
    }

    @Test
    void aMissingOutputBucketIsRedWithTheReasonAndExitsOne() throws Exception {
        String missing = MotoServer.freshName("no-such-bucket");

        CliRun run = verify(Map.of(), "verify", "--input", input, "--output", "s3://" + missing + "/out/", "--json");

        assertEquals(1, run.exit(), run.both());
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertFalse(report.path("passed").asBoolean());
        assertEquals("yellow", light(report, "input", "Read").path("state").asText());
        assertEquals("green", light(report, "input", "List").path("state").asText());
        for (String check : List.of("List", "Write")) {
            JsonNode light = light(report, "output", check);
            assertEquals("red", light.path("state").asText(), check);
            assertEquals("bucket " + missing + " does not exist", light.path("detail").asText(), check);
        }
        for (String check : List.of("Read", "Overwrite", "Delete")) {
            assertEquals("yellow", light(report, "output", check).path("state").asText(), check);
        }
    }

    @Test
    void theTableSaysWhatFailedInPlainText() {
        CliRun run = verify(Map.of(), "verify", "--output", "s3://" + MotoServer.freshName("no-such-bucket") + "/");

        assertEquals(1, run.exit(), run.both());
        assertTrue(run.out().contains("failed: 2 red lights, 3 not checked"), run.both());
        assertFalse(run.out().contains("\u001B["), "colours only on a terminal");
    }

    @Test
    void throughARoleWithAShortMaximumSessionTheSessionLightIsRed() throws Exception {
        putImage("projects/farm-animals/cow.jpg");
        String role = createRole(MotoServer.freshName("Lightly-S3-Integration"), 3600);

        CliRun run = verify(Map.of(), "verify", "--input", input, "--output", output, "--role-arn", role,
                "--external-id", EXTERNAL_ID, "--json");

        JsonNode report = Json.MAPPER.readTree(run.out());
        JsonNode session = light(report, "role", "Max session duration");
        assertEquals("red", session.path("state").asText());
        assertTrue(session.path("detail").asText().startsWith("3600 s < 43200 s"), session.toString());
        assertEquals(1, run.exit(), run.both());
        assertEquals(role, report.path("roleArn").asText());
        assertEquals("green", light(report, "role", "AssumeRole with external ID").path("state").asText());
        assertEquals("green", light(report, "output", "Delete").path("state").asText(),
                "S3 checks ran through the session");
        assertEquals(List.of(), keysUnder("lightly-output/.lightly/verify/"));
    }

    @Test
    void throughARoleWithTwelveHourSessionsOnlyMotosMissingExternalIdEnforcementIsRed() throws Exception {
        putImage("projects/farm-animals/cow.jpg");
        String role = createRole(MotoServer.freshName("Lightly-S3-Integration"), RoleCheck.LIGHTLY_MAX_SESSION_SECONDS);

        CliRun run = verify(Map.of("LIGHTLY_EXTERNAL_ID", EXTERNAL_ID), "verify", "--input", input, "--output", output,
                "--role-arn", role, "--json");

        JsonNode report = Json.MAPPER.readTree(run.out());
        assertEquals("green", light(report, "role", "Max session duration").path("state").asText());
        assertEquals("43200 s", light(report, "role", "Max session duration").path("detail").asText());
        assertEquals("green", light(report, "role", "Trust policy requires external ID").path("state").asText());
        // moto grants AssumeRole without the external ID the trust policy demands; the check must say so
        JsonNode withoutId = light(report, "role", "AssumeRole without external ID refused");
        assertEquals("red", withoutId.path("state").asText());
        assertTrue(withoutId.path("detail").asText().contains("although its trust policy demands one"),
                withoutId.toString());
        List<String> red = new ArrayList<>();
        report.path("lights").forEach(l -> {
            if (l.path("state").asText().equals("red")) {
                red.add(l.path("check").asText());
            }
        });
        assertEquals(List.of("AssumeRole without external ID refused"), red);
        assertEquals(1, run.exit(), run.both());
    }

    @Test
    void aTrustPolicyWithAnotherExternalIdIsRed() throws Exception {
        String role = createRole(MotoServer.freshName("Lightly-S3-Integration"), RoleCheck.LIGHTLY_MAX_SESSION_SECONDS);

        CliRun run = verify(Map.of(), "verify", "--output", output, "--role-arn", role,
                "--external-id", "another-external-id", "--json");

        JsonNode trust = light(Json.MAPPER.readTree(run.out()), "role", "Trust policy requires external ID");
        assertEquals("red", trust.path("state").asText());
        assertEquals("the sts:ExternalId condition does not accept the given external ID",
                trust.path("detail").asText());
    }

    @Test
    void aRoleThatDoesNotExistIsRed() throws Exception {
        CliRun run = verify(Map.of(), "verify", "--output", output, "--role-arn",
                "arn:aws:iam::123456789012:role/" + MotoServer.freshName("missing"), "--external-id", EXTERNAL_ID,
                "--json");

        assertEquals(1, run.exit(), run.both());
        JsonNode session = light(Json.MAPPER.readTree(run.out()), "role", "Max session duration");
        assertEquals("red", session.path("state").asText());
        assertTrue(session.path("detail").asText().endsWith("does not exist"), session.toString());
    }

    @Test
    void lightlysOwnVerifyIsShownAsExtraLights() throws Exception {
        putImage("projects/farm-animals/cow.jpg");
        try (LightlyApiStub stub = LightlyApiStub.start()) {
            LightlyClient client = new LightlyClient(stub.settings(Duration.ofSeconds(10)));
            client.setDatasource(new S3DelegatedAccessDatasource(DatasourcePurpose.LIGHTLY, output, "us-east-1",
                    "arn:aws:iam::123456789012:role/Lightly-S3-Integration", EXTERNAL_ID, null));
            stub.verification(new DatasourceVerification(true, false, true, true,
                    Map.of("canWrite", "AccessDenied: not authorized to perform s3:PutObject")));
            Map<String, String> env = Map.of("LIGHTLY_TOKEN", stub.token(),
                    "LIGHTLY_SERVER_LOCATION", stub.baseUri().toString());

            CliRun run = verify(env, "verify", "--input", input, "--output", output,
                    "--lightly-dataset-id", stub.datasetId(), "--json");

            assertEquals(1, run.exit(), run.both());
            JsonNode report = Json.MAPPER.readTree(run.out());
            assertEquals("green", light(report, "Lightly", "List").path("state").asText());
            assertEquals("green", light(report, "Lightly", "Read").path("state").asText());
            JsonNode write = light(report, "Lightly", "Write");
            assertEquals("red", write.path("state").asText());
            assertEquals("AccessDenied: not authorized to perform s3:PutObject", write.path("detail").asText());
            assertEquals("green", light(report, "output", "Write").path("state").asText());
            assertFalse(run.out().contains(stub.token()));
            assertEquals(List.of(), stub.validationErrors());
            assertEquals(1, stub.requestCount(LightlyApiStub.VERIFY_DATASOURCE));
        }
    }

    @Test
    void lightlyRefusingTheVerifyIsOneRedLight() throws Exception {
        try (LightlyApiStub stub = LightlyApiStub.start()) {
            Map<String, String> env = Map.of("LIGHTLY_TOKEN", stub.token(),
                    "LIGHTLY_SERVER_LOCATION", stub.baseUri().toString());

            CliRun run = verify(env, "verify", "--output", output, "--lightly-dataset-id", stub.datasetId(), "--json");

            assertEquals(1, run.exit(), run.both());
            JsonNode verifyLight = light(Json.MAPPER.readTree(run.out()), "Lightly", "Verify");
            assertEquals("red", verifyLight.path("state").asText());
            assertTrue(verifyLight.path("detail").asText().contains("DATASET_DATASOURCE_UNKNOWN"),
                    verifyLight.toString());
        }
    }

    @Test
    void aDatasetIdWithoutTokenIsAUsageError() {
        CliRun run = verify(Map.of(), "verify", "--output", output, "--lightly-dataset-id", "0123456789abcdef01234567");

        assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
        assertEquals("error: a Lightly dataset id is given but no token:"
                + " set LIGHTLY_TOKEN (or LIGHTLY_TOKEN_SECRET_ID)", run.err().strip());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        CliRun noExternalId = verify(Map.of(), "verify", "--output", output, "--role-arn",
                "arn:aws:iam::123456789012:role/Lightly-S3-Integration");
        CliRun badArn = verify(Map.of(), "verify", "--output", output, "--role-arn", "Lightly-S3-Integration",
                "--external-id", EXTERNAL_ID);
        CliRun folder = verify(Map.of(), "verify", "--output", "/tmp/out");
        CliRun nothing = verify(Map.of(), "verify");

        for (CliRun run : List.of(noExternalId, badArn, folder, nothing)) {
            assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
            assertEquals(1, run.err().strip().lines().count(), run.both());
            assertTrue(run.err().startsWith("error: "), run.both());
            assertEquals("", run.out());
        }
        assertTrue(badArn.err().contains("role ARN must look like arn:aws:iam::123456789012:role/"), badArn.both());
    }

    @Test
    void objectsOutsideTheProbeFolderAreLeftAlone() {
        putImage("lightly-output/.lightly/thumbnails/cow_thumb.jpg");

        CliRun run = verify(Map.of(), "verify", "--output", output);

        assertEquals(0, run.exit(), run.both());
        assertEquals(List.of("lightly-output/.lightly/thumbnails/cow_thumb.jpg"),
                keysUnder("lightly-output/").stream().toList());
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .noneMatch(k -> k.contains("/.lightly/verify/")));
    }

    @Test
    void theStackOutputsNameTheDatasources() {
        putImage("projects/farm-animals/cow.jpg");
        String stackName = MotoServer.freshName("lightly-s3-ingest");
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {
                   "InputDatasourceUri": {"Value": "s3://%1$s/projects/farm-animals/"},
                   "OutputDatasourceUri": {"Value": "s3://%1$s/lightly/"}}}
                """.formatted(bucket);
        try (var cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stackName).templateBody(template));
        }

        CliRun run = verify(Map.of(), "verify", "--stack", stackName);

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().startsWith("verify  input s3://" + bucket + "/projects/farm-animals/  output s3://"
                + bucket + "/lightly/"), run.both());
    }
}
