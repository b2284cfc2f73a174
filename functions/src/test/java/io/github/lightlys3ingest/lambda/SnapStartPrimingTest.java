package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.RetryPolicy;
import io.github.lightlys3ingest.lightly.Sleeper;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** Priming before a SnapStart snapshot runs every code path once, reads only, and never fails the snapshot. */
@ExtendWith(MotoExtension.class)
class SnapStartPrimingTest {
    private final String bucket = MotoServer.freshName("priming");

    private Ingestion ingestion(S3Client s3, LightlyApiStub lightly) {
        IngestSettings settings = IngestSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/in/",
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/out/",
                EnvironmentVariable.LIGHTLY_DATASET_ID.key(), lightly.datasetId(),
                EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key(), lightly.baseUri().toString())::get);
        LightlyClient client = new LightlyClient(lightly.settings(Duration.ofSeconds(30)), RetryPolicy.DEFAULT,
                Clock.systemUTC(), Sleeper.SYSTEM);
        return new Ingestion(settings, new S3ObjectStore(s3, settings.input()),
                new S3ObjectStore(s3, settings.output()), Optional.of(client),
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
    }

    private static JsonNode primingLine(ByteArrayOutputStream logs) throws Exception {
        String text = logs.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, text.lines().count(), text);
        JsonNode line = Json.MAPPER.readTree(text);
        assertEquals("snapstart_priming", line.path("event").asText());
        return line;
    }

    @Test
    void primingReachesS3AndLightlyWithReadsOnlyAndLogsSuccess(MotoServer moto) throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try (S3Client s3 = moto.clients().s3(); LightlyApiStub lightly = LightlyApiStub.start()) {
            s3.createBucket(b -> b.bucket(bucket));

            new SnapStartPriming(ingestion(s3, lightly), new PrintStream(logs, true, StandardCharsets.UTF_8))
                    .beforeCheckpoint(null);

            JsonNode line = primingLine(logs);
            assertTrue(line.path("ok").asBoolean(), line.toString());
            assertEquals(Map.of(LightlyApiStub.GET_DATASET, 1), lightly.requestsByEndpoint());
            assertEquals(0, lightly.samplesCreated());
            assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket)).keyCount(), "priming wrote nothing");
        }
    }

    @Test
    void unreachableServicesAreLoggedAndDoNotFailTheSnapshot(MotoServer moto) throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try (S3Client s3 = moto.clients().s3(); LightlyApiStub lightly = LightlyApiStub.start()) {
            // no bucket: the HEAD of the probe fails
            new SnapStartPriming(ingestion(s3, lightly), new PrintStream(logs, true, StandardCharsets.UTF_8))
                    .beforeCheckpoint(null);
        }

        JsonNode line = primingLine(logs);
        assertEquals(false, line.path("ok").asBoolean());
        assertTrue(line.path("detail").asText().contains("HeadObject"), line.toString());
    }
}
