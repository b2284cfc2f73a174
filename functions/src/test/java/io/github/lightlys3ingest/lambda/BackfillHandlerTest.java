package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.lightlys3ingest.backfill.BackfillProgress;
import io.github.lightlys3ingest.backfill.BackfillRequest;
import io.github.lightlys3ingest.backfill.BackfillState;
import io.github.lightlys3ingest.backfill.S3EventBody;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The backfill's messages read exactly like S3's own, through the runtime's serializer and through the ingestion
 * function's parser ({@link ObjectEventParser}), and the handler reads its payloads.
 */
class BackfillHandlerTest {
    private static final PojoSerializer<S3Event> S3_EVENT =
            LambdaEventSerializers.serializerFor(S3Event.class, BackfillHandlerTest.class.getClassLoader());
    private static final IngestSettings SETTINGS = IngestSettings.parse(Map.of(
            EnvironmentVariable.INPUT_URI.key(), "s3://datalake/projects/farm-animals/",
            EnvironmentVariable.OUTPUT_URI.key(), "s3://datalake/lightly/")::get);

    private static S3EventNotificationRecord parse(String body) {
        S3Event event = S3_EVENT.fromJson(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, event.getRecords().size());
        return event.getRecords().get(0);
    }

    @Test
    void aBackfillBodyParsesLikeS3sOwnForAwkwardKeys() {
        List<String> keys = List.of("projects/farm-animals/cows/IMG_0001.jpg", "projects/farm-animals/my photo 1.jpg",
                "projects/farm-animals/a+b.jpg", "projects/farm-animals/100% sharp.jpg",
                "projects/farm-animals/kühe/牛.jpg", "projects/farm-animals/x(1)~*'!&=?#;,:@$.jpg",
                "projects/farm-animals/emoji \uD83D\uDC04.png", "projects/farm-animals/%2F already encoded.jpg");
        Instant time = Instant.parse("2026-03-14T09:26:53Z");
        for (String key : keys) {
            String body = S3EventBody.of("us-east-1", "datalake", key, 2563421, "5f1b3a2ed0f6c2d1a9b8e7c6d5f4a3b2-3",
                    time);
            S3EventNotificationRecord record = parse(body);

            String decoded = ObjectEventParser.parse(body).events().get(0).key();
            assertEquals(key, decoded);
            assertEquals(Optional.of(key.substring("projects/farm-animals/".length())),
                    SETTINGS.inputFileName(record.getS3().getBucket().getName(), decoded));
            assertEquals("aws:s3", record.getEventSource());
            assertEquals("ObjectCreated:Put", record.getEventName());
            assertEquals("us-east-1", record.getAwsRegion());
            assertEquals(2563421L, record.getS3().getObject().getSizeAsLong());
            assertEquals("5f1b3a2ed0f6c2d1a9b8e7c6d5f4a3b2-3", record.getS3().getObject().geteTag());
            assertEquals("arn:aws:s3:::datalake", record.getS3().getBucket().getArn());
            assertEquals("lightly-backfill", record.getS3().getConfigurationId());
            assertEquals(time.toEpochMilli(), record.getEventTime().getMillis());
            assertFalse(record.getS3().getObject().getKey().contains("%2F"), "S3 leaves '/' unencoded");
        }
    }

    @Test
    void theBodyHasTheShapeAndEncodingOfTheSampleS3Event() throws IOException {
        var sample = Json.MAPPER.readTree(Path.of("..", "events", "s3-put.json").toFile()).path("Records").path(0);
        var ours = Json.MAPPER.readTree(S3EventBody.of("us-east-1", "datalake",
                "projects/farm-animals/cows/IMG_0001.jpg", 2563421, "5f1b3a2ed0f6c2d1a9b8e7c6d5f4a3b2",
                Instant.parse("2026-03-14T09:26:53.100Z"))).path("Records").path(0);

        assertEquals(sample.path("s3").path("object").path("key"), ours.path("s3").path("object").path("key"));
        assertEquals("2026-03-14T09:26:53.100Z", ours.path("eventTime").asText(),
                "UTC, milliseconds, Z, as S3 writes it");
        for (String field : List.of("eventVersion", "eventSource", "awsRegion", "eventName")) {
            assertEquals(sample.path(field), ours.path(field), field);
        }
        assertEquals(sample.path("s3").path("s3SchemaVersion"), ours.path("s3").path("s3SchemaVersion"));
        assertEquals("my+photo+1.jpg", S3EventBody.encodeKey("my photo 1.jpg"));
        assertEquals("a%2Bb.jpg", S3EventBody.encodeKey("a+b.jpg"));
        assertEquals("k%C3%BChe/%E7%89%9B.jpg", S3EventBody.encodeKey("kühe/牛.jpg"));
    }

    @Test
    void theSampleBackfillPayloadStartsARun() throws IOException {
        BackfillState state = BackfillHandler.readPayload(Files.readAllBytes(Path.of("..", "events", "backfill.json")));

        assertEquals(new BackfillRequest("datalake", "projects/farm-animals/", null, null, false), state.request());
        assertNull(state.resumeAfter());
        assertEquals(BackfillProgress.NONE, state.progress());
        assertEquals(36, state.runId().length());
    }

    @Test
    void aContinuationPayloadIsReadBackAsTheStateThatWasHandedOff() throws IOException {
        BackfillState handedOff = new BackfillState("3f0c0c8e-1111-4222-8333-944455556666",
                new BackfillRequest("datalake", "projects/farm-animals/", null, 5000L, false),
                "projects/farm-animals/cows/0999.jpg", new BackfillProgress(1000, 990, 7, 3, 2000, 99, 2));

        assertEquals(handedOff, BackfillHandler.readPayload(Json.MAPPER.writeValueAsBytes(handedOff)));
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackfillHandler.readPayload("bucket=datalake".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("the backfill payload is not JSON"), e.getMessage());
    }

    @Test
    void theContinuationInvokesTheFunctionByItsOwnUnqualifiedName() {
        assertEquals("lightly-backfill",
                BackfillHandler.continuationTarget(Map.of("AWS_LAMBDA_FUNCTION_NAME", "lightly-backfill")::get));
        assertThrows(IllegalStateException.class, () -> BackfillHandler.continuationTarget(name -> null));
    }
}
