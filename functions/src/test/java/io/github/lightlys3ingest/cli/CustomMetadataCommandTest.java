package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Custom metadata from the command line on moto S3 and the OpenAPI-validating Lightly stub: {@code ingest}
 * sends every source, {@code configure-lightly} registers the fields (known ones, {@code --field} and those
 * found in records) once, and {@code --dry-run} shows them without a request.
 */
@ExtendWith(MotoExtension.class)
class CustomMetadataCommandTest {
    private static final String IMAGE = "farm-north/2024-06-01/cam3/cow.jpg";
    private static final String PATTERN = "{site}/{date:datetime}/{camera}/*";

    private final LightlyApiStub stub = LightlyApiStub.start();
    private final Map<String, String> env = new HashMap<>();
    private final String bucket = MotoServer.freshName("datalake");
    private MotoServer moto;
    private S3Client s3;

    @BeforeEach
    void environment(MotoServer moto) {
        this.moto = moto;
        s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(bucket));
        env.put("LIGHTLY_TOKEN", stub.token());
        env.put("LIGHTLY_SERVER_LOCATION", stub.baseUri().toString());
        // configure-lightly reads the ingester's own variables; ingest gets the options
        env.put("CUSTOM_METADATA", "key,user,sidecar,exif");
        env.put("KEY_PATTERN", PATTERN);
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), stub.validationErrors(), "requests outside the OpenAPI document");
        } finally {
            stub.close();
            s3.close();
        }
    }

    private void uploadImageWithUserMetadataAndSidecar() throws IOException {
        byte[] photo;
        try (InputStream in = getClass().getResourceAsStream("/images/Apple_iPhone_4.jpg")) {
            photo = in.readAllBytes();
        }
        s3.putObject(b -> b.bucket(bucket).key("images/" + IMAGE).metadata(Map.of("operator", "ana")),
                RequestBody.fromBytes(photo));
        s3.putObject(b -> b.bucket(bucket).key("images/" + IMAGE + ".json"),
                RequestBody.fromString("{\"weather\":\"sunny\",\"cows\":3,\"temperature\":21.5}",
                        StandardCharsets.UTF_8));
    }

    private CliRun ingest(String... more) {
        List<String> args = new ArrayList<>(List.of("ingest", "--input", "s3://" + bucket + "/images/",
                "--output", "s3://" + bucket + "/lightly/", "--lightly-dataset-id", stub.datasetId(),
                "--custom-metadata", "key,user,sidecar,exif", "--key-pattern", PATTERN));
        args.addAll(List.of(more));
        return CliRun.run(moto.clients(), env, args.toArray(String[]::new));
    }

    private CliRun configure(String... more) {
        List<String> args = new ArrayList<>(List.of("configure-lightly", "--lightly-dataset-id", stub.datasetId(),
                "--input", "s3://" + bucket + "/images/", "--output", "s3://" + bucket + "/lightly/",
                "--role-arn", "arn:aws:iam::123456789012:role/Lightly-S3-Integration",
                "--external-id", "farm-animals-2024-ext", "--region", "us-east-1"));
        args.addAll(List.of(more));
        return CliRun.run(moto.clients(), env, args.toArray(String[]::new));
    }

    private Map<String, String> registered() {
        Map<String, String> types = new TreeMap<>();
        for (JsonNode configuration : stub.metadataConfigurations()) {
            configuration.path("configs").forEach(entry -> types.put(entry.path("path").asText(),
                    entry.path("valueDataType").asText()));
        }
        return types;
    }

    @Test
    void anImageUnderSiteDateCameraReachesLightlyWithKeyUserAndSidecarFieldsWhichBecomeFilters() throws IOException {
        uploadImageWithUserMetadataAndSidecar();

        CliRun run = ingest();

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("ingested 1, rejected 0"), run.out());
        JsonNode custom = stub.samplesByFileName().get(IMAGE).request().path("customMetaData");
        assertEquals("farm-north", custom.at("/path/site").asText());
        assertEquals("2024-06-01", custom.at("/path/date").asText());
        assertEquals("cam3", custom.at("/path/camera").asText());
        assertEquals("ana", custom.at("/user/operator").asText());
        assertEquals(3, custom.at("/sidecar/cows").asInt());
        assertTrue(custom.at("/sidecar/cows").isIntegralNumber(), "numbers stay numbers");
        assertEquals("Apple", custom.at("/exif/make").asText());

        CliRun configured = configure("--fields-from-records", "10");

        assertEquals(0, configured.exit(), configured.both());
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_METADATA_CONFIGURATION));
        Map<String, String> expected = new TreeMap<>(Map.of(
                "path.site", "CATEGORICAL_STRING", "path.date", "CATEGORICAL_DATETIME",
                "path.camera", "CATEGORICAL_STRING", "user.operator", "CATEGORICAL_STRING",
                "sidecar.weather", "CATEGORICAL_STRING", "sidecar.cows", "NUMERIC_INT",
                "sidecar.temperature", "NUMERIC_FLOAT", "exif.make", "CATEGORICAL_STRING",
                "exif.model", "CATEGORICAL_STRING", "exif.capturedAt", "CATEGORICAL_DATETIME"));
        expected.putAll(Map.of("exif.gps.lat", "NUMERIC_FLOAT", "exif.gps.lon", "NUMERIC_FLOAT",
                "exif.gps.alt", "NUMERIC_FLOAT"));
        assertEquals(expected, registered());
        assertTrue(configured.out().contains("sidecar.cows") && configured.out().contains("added"), configured.out());
    }

    @Test
    void aSecondRunSendsNoConfigurationAndANewFieldExtendsTheSameOne() {
        assertEquals(0, configure().exit());
        int fields = registered().size();

        CliRun again = configure();

        assertEquals(0, again.exit(), again.both());
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_METADATA_CONFIGURATION));
        assertEquals(0, stub.requestCount(LightlyApiStub.UPDATE_METADATA_CONFIGURATION));
        assertTrue(again.out().contains("already configured, nothing sent"), again.out());

        CliRun extended = configure("--field", "tags.project:string");

        assertEquals(0, extended.exit(), extended.both());
        assertEquals(1, stub.requestCount(LightlyApiStub.UPDATE_METADATA_CONFIGURATION));
        assertEquals(1, stub.metadataConfigurations().size(), "one configuration, grown");
        assertEquals(fields + 1, registered().size());
        assertEquals("CATEGORICAL_STRING", registered().get("tags.project"));
    }

    @Test
    void dryRunShowsTheFieldsAndSendsNothing() {
        CliRun run = configure("--dry-run", "--field", "sidecar.cows:int");

        assertEquals(0, run.exit(), run.both());
        assertEquals(Map.of(), stub.requestsByEndpoint(), "nothing may reach Lightly");
        assertTrue(run.out().contains("/configuration/metadata?token=***"), run.out());
        assertTrue(run.out().contains("\"path\" : \"sidecar.cows\"") && run.out().contains("\"NUMERIC_INT\""),
                run.out());
        assertTrue(run.out().contains("\"path\" : \"path.site\""), run.out());
    }

    @Test
    void mistakesInTheFieldOptionsAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"--field", "weather:string"},
                new String[] {"--field", "sidecar.weather:money"}, new String[] {"--key-pattern", "{a}{b}/*"},
                new String[] {"--custom-metadata", "key,gps"})) {
            CliRun run = configure(args);
            assertEquals(2, run.exit(), run.both());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
        assertEquals(Map.of(), stub.requestsByEndpoint());
    }

    @Test
    void theStackOutputsSayWhichSourcesAndKeyPatternTheFunctionUses() {
        String stackName = MotoServer.freshName("lightly-s3-ingest");
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {
                   "LightlyRoleArn": {"Value": "arn:aws:iam::123456789012:role/Lightly-S3-Integration"},
                   "InputDatasourceUri": {"Value": "s3://datalake/projects/farm/"},
                   "OutputDatasourceUri": {"Value": "s3://datalake-lightly/farm/"},
                   "Region": {"Value": {"Ref": "AWS::Region"}},
                   "LightlyDatasetId": {"Value": "%s"},
                   "UploadMode": {"Value": "metadata"},
                   "CustomMetadata": {"Value": "key,tags"},
                   "KeyPattern": {"Value": "{farm}/{day:datetime}/*"}}}
                """.formatted(stub.datasetId());
        try (var cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stackName).templateBody(template));
        }
        env.clear();
        env.put("LIGHTLY_TOKEN", stub.token());
        env.put("LIGHTLY_SERVER_LOCATION", stub.baseUri().toString());

        CliRun run = CliRun.run(moto.clients(), env, "configure-lightly", "--stack", stackName,
                "--external-id", "farm-animals-2024-ext");

        assertEquals(0, run.exit(), run.both());
        assertEquals(Map.of("path.farm", "CATEGORICAL_STRING", "path.day", "CATEGORICAL_DATETIME"), registered(),
                "the stack's key pattern; no EXIF fields, since the stack's sources leave exif out");
    }
}
