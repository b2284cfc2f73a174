package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** {@code configure-lightly} against the OpenAPI-validating Lightly stub (and moto for {@code --stack}). */
@ExtendWith(MotoExtension.class)
class ConfigureLightlyCommandTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/Lightly-S3-Integration";
    private static final String EXTERNAL_ID = "farm-animals-2024-ext";

    private final LightlyApiStub stub = LightlyApiStub.start();
    private final Map<String, String> env = new HashMap<>();
    private MotoServer moto;

    @BeforeEach
    void environment(MotoServer moto) {
        this.moto = moto;
        env.put("LIGHTLY_TOKEN", stub.token());
        env.put("LIGHTLY_SERVER_LOCATION", stub.baseUri().toString());
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), stub.validationErrors(), "requests outside the OpenAPI document");
        } finally {
            stub.close();
        }
    }

    private CliRun configure(String... args) {
        List<String> all = new ArrayList<>(List.of("configure-lightly"));
        all.addAll(List.of(args));
        return CliRun.run(moto.clients(), env, all.toArray(String[]::new));
    }

    /** The farm-animals datasources; {@code changes} are option-value pairs that replace or add to them. */
    private CliRun configureFarm(String... changes) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--lightly-dataset-id", stub.datasetId());
        options.put("--input", "s3://datalake/projects/farm-animals");
        options.put("--output", "s3://datalake-lightly/farm-animals/");
        options.put("--role-arn", ROLE);
        options.put("--external-id", EXTERNAL_ID);
        options.put("--region", "eu-central-1");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < changes.length; i++) {
            if (changes[i].equals("--dry-run")) {
                flags.add(changes[i]);
            } else {
                options.put(changes[i], changes[++i]);
            }
        }
        List<String> args = new ArrayList<>(flags);
        options.forEach((option, value) -> args.addAll(List.of(option, value)));
        return configure(args.toArray(String[]::new));
    }

    private List<JsonNode> datasourcesByPurpose() {
        List<JsonNode> datasources = new ArrayList<>(stub.datasources());
        datasources.sort(Comparator.comparing(d -> d.path("purpose").asText()));
        return datasources;
    }

    @Test
    void setsTheInputAndLightlyDatasources() {
        CliRun run = configureFarm();

        assertEquals(0, run.exit(), run.both());
        assertEquals(2, stub.requestCount(LightlyApiStub.SET_DATASOURCE));
        List<JsonNode> datasources = datasourcesByPurpose();
        assertEquals(2, datasources.size());
        JsonNode in = datasources.get(0);
        JsonNode out = datasources.get(1);
        assertEquals("INPUT", in.path("purpose").asText());
        assertEquals("s3://datalake/projects/farm-animals/", in.path("fullPath").asText());
        assertEquals("LIGHTLY", out.path("purpose").asText());
        assertEquals("s3://datalake-lightly/farm-animals/", out.path("fullPath").asText());
        for (JsonNode datasource : datasources) {
            assertEquals("S3DelegatedAccess", datasource.path("type").asText());
            assertEquals(ROLE, datasource.path("s3ARN").asText());
            assertEquals(EXTERNAL_ID, datasource.path("s3ExternalId").asText());
            assertEquals("eu-central-1", datasource.path("s3Region").asText());
            assertEquals(".lightly/thumbnails/[filename]_thumb.[extension]", datasource.path("thumbSuffix").asText());
        }
        assertTrue(run.out()
                .contains("INPUT    s3://datalake/projects/farm-animals/  set (the dataset had none for this purpose)"),
                run.both());
        assertFalse(run.out().contains(stub.token()));
    }

    @Test
    void aSecondRunSendsNothing() {
        assertEquals(0, configureFarm().exit());

        CliRun again = configureFarm();

        assertEquals(0, again.exit(), again.both());
        assertEquals(2, stub.requestCount(LightlyApiStub.SET_DATASOURCE), "no PUT on the second run");
        assertEquals(2, again.out().lines().filter(l -> l.endsWith("unchanged, nothing sent")).count(), again.both());
    }

    @Test
    void aChangedValueIsSentAgainAndTheDifferenceShown() {
        assertEquals(0, configureFarm().exit());

        CliRun changed = configureFarm("--thumb-suffix", ".lightly/thumbs/[filename].[extension]");

        assertEquals(0, changed.exit(), changed.both());
        assertEquals(4, stub.requestCount(LightlyApiStub.SET_DATASOURCE));
        assertTrue(changed.out().contains("updated (thumbSuffix: .lightly/thumbnails/[filename]_thumb.[extension] -> "
                + ".lightly/thumbs/[filename].[extension])"), changed.both());
        assertEquals(".lightly/thumbs/[filename].[extension]",
                datasourcesByPurpose().get(1).path("thumbSuffix").asText());
    }

    @Test
    void metadataModeSendsANullThumbSuffix() {
        CliRun run = configureFarm("--upload-mode", "metadata");

        assertEquals(0, run.exit(), run.both());
        for (JsonNode datasource : datasourcesByPurpose()) {
            assertTrue(datasource.has("thumbSuffix"), "sent explicitly");
            assertTrue(datasource.path("thumbSuffix").isNull(), datasource.toString());
        }
    }

    @Test
    void badValuesAreRefusedBeforeAnythingIsSent() {
        CliRun shortExternalId = configureFarm("--external-id", "short");
        CliRun badArn = configureFarm("--role-arn", "arn:aws:iam::12345:role/Lightly");
        CliRun badRegion = configureFarm("--region", "mars-north-1");
        CliRun folder = configureFarm("--input", "/data/farm");
        CliRun suffixInMetadataMode = configureFarm("--upload-mode", "metadata", "--thumb-suffix", "[filename].jpg");
        CliRun badDataset = configureFarm("--lightly-dataset-id", "not-an-id");

        for (CliRun run : List.of(shortExternalId, badArn, badRegion, folder, suffixInMetadataMode, badDataset)) {
            assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
            assertEquals(1, run.err().strip().lines().count(), run.both());
            assertTrue(run.err().startsWith("error: "), run.both());
        }
        assertTrue(shortExternalId.err().contains("external id must be at least 10 characters"),
                shortExternalId.both());
        assertTrue(badArn.err().contains("role ARN must look like"), badArn.both());
        assertEquals(Map.of(), stub.requestsByEndpoint(), "nothing may reach Lightly");
    }

    @Test
    void theExternalIdIsRequiredAndMayComeFromTheEnvironment() {
        CliRun missing = configure("--lightly-dataset-id", stub.datasetId(), "--input", "s3://datalake/in/",
                "--output", "s3://datalake/out/", "--role-arn", ROLE, "--region", "us-east-1");
        assertEquals(Main.EXIT_USAGE, missing.exit(), missing.both());
        assertEquals("error: --external-id is required (or set LIGHTLY_EXTERNAL_ID)", missing.err().strip());

        env.put("LIGHTLY_EXTERNAL_ID", EXTERNAL_ID);
        CliRun fromEnv = configure("--lightly-dataset-id", stub.datasetId(), "--input", "s3://datalake/in/",
                "--output", "s3://datalake/out/", "--role-arn", ROLE, "--region", "us-east-1");
        assertEquals(0, fromEnv.exit(), fromEnv.both());
        assertEquals(EXTERNAL_ID, stub.datasources().get(0).path("s3ExternalId").asText());
    }

    @Test
    void aDryRunPrintsTheRequestsAndSendsNothing() {
        env.remove("LIGHTLY_TOKEN");

        CliRun run = configureFarm("--dry-run");

        assertEquals(0, run.exit(), run.both());
        assertEquals(Map.of(), stub.requestsByEndpoint());
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("PUT " + stub.baseUri() + "/v1/datasets/"
                + stub.datasetId() + "/datasource?token=***")).count(), run.both());
        assertTrue(run.out().contains("\"purpose\" : \"LIGHTLY\""), run.both());
    }

    @Test
    void aRefusedTokenIsOneLineAndExitThree() {
        env.put("LIGHTLY_TOKEN", "wrong-token-123");

        CliRun run = configureFarm();

        assertEquals(Main.EXIT_SYSTEMIC, run.exit(), run.both());
        assertTrue(run.err().startsWith("error: Lightly API refused GET /v1/datasets/"), run.both());
        assertTrue(run.err().contains("JWT_INVALID"), run.both());
        assertEquals(1, run.err().strip().lines().count(), run.both());
        assertFalse(run.err().contains("wrong-token-123"), "the token is never printed");
    }

    @Test
    void theStackOutputsProvideTheValues() {
        String stackName = MotoServer.freshName("lightly-s3-ingest");
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {
                   "LightlyRoleArn": {"Value": "%s"},
                   "InputDatasourceUri": {"Value": "s3://datalake/projects/farm-animals/"},
                   "OutputDatasourceUri": {"Value": "s3://datalake-lightly/farm-animals/"},
                   "Region": {"Value": {"Ref": "AWS::Region"}},
                   "LightlyDatasetId": {"Value": "%s"},
                   "ThumbSuffix": {"Value": ".lightly/thumbnails/[filename]_thumb.[extension]"},
                   "UploadMode": {"Value": "metadata"}}}
                """.formatted(ROLE, stub.datasetId());
        try (CloudFormationClient cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stackName).templateBody(template));
        }

        CliRun run = configure("--stack", stackName, "--external-id", EXTERNAL_ID);

        assertEquals(0, run.exit(), run.both());
        List<JsonNode> datasources = datasourcesByPurpose();
        assertEquals("s3://datalake/projects/farm-animals/", datasources.get(0).path("fullPath").asText());
        assertEquals("s3://datalake-lightly/farm-animals/", datasources.get(1).path("fullPath").asText());
        for (JsonNode datasource : datasources) {
            assertEquals(ROLE, datasource.path("s3ARN").asText());
            assertEquals(MotoServer.REGION.id(), datasource.path("s3Region").asText());
            assertTrue(datasource.path("thumbSuffix").isNull(), "the stack's upload mode is metadata");
        }
    }

    @Test
    void optionsWinOverTheStackAndAMissingStackIsAUsageError() {
        String stackName = MotoServer.freshName("lightly-s3-ingest");
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {"LightlyRoleArn": {"Value": "arn:aws:iam::123456789012:role/Other-Role"},
                             "InputDatasourceUri": {"Value": "s3://datalake/in/"},
                             "OutputDatasourceUri": {"Value": "s3://datalake/out/"}}}
                """;
        try (CloudFormationClient cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stackName).templateBody(template));
        }

        CliRun run = configure("--stack", stackName, "--role-arn", ROLE, "--external-id", EXTERNAL_ID,
                "--lightly-dataset-id", stub.datasetId(), "--region", "eu-west-1");
        CliRun missing = configure("--stack", MotoServer.freshName("no-such-stack"), "--external-id", EXTERNAL_ID);

        assertEquals(0, run.exit(), run.both());
        assertEquals(ROLE, stub.datasources().get(0).path("s3ARN").asText());
        assertEquals("s3://datalake/in/", datasourcesByPurpose().get(0).path("fullPath").asText());
        assertEquals(Main.EXIT_USAGE, missing.exit(), missing.both());
        assertTrue(missing.err()
                .matches("error: stack no-such-stack-\\w+ does not exist in region us-east-1 \\(set AWS_REGION\\)\\s*"),
                missing.both());
    }
}
