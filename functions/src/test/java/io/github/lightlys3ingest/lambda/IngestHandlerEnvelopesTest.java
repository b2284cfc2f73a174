package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Message bodies of every accepted shape, and some that are none, through {@link IngestHandler} on moto's S3:
 * each readable record is ingested, each unreadable one is logged with its message id, counted in
 * {@code UnreadableEvents}, and let go rather than retried.
 */
@ExtendWith(MotoExtension.class)
class IngestHandlerEnvelopesTest {
    private static final String INPUT = "projects/farm-animals/";
    private static final String OUTPUT = "lightly/";
    private final String bucket = MotoServer.freshName("datalake");
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private S3Client s3;
    private IngestHandler handler;

    @BeforeEach
    void setUp(MotoServer moto) {
        s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(bucket));
        IngestSettings settings = IngestSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT,
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/" + OUTPUT)::get);
        Ingestion ingestion = new Ingestion(settings, new S3ObjectStore(s3, settings.input()),
                new S3ObjectStore(s3, settings.output()), Optional.empty(),
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
        handler = new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8), 2);
    }

    @AfterEach
    void close() {
        s3.close();
    }

    /** Uploads a photo and returns the placeholder values of an event about it. */
    private Map<String, String> upload(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/images/Kodak_DX4330.jpg")) {
            bytes = in.readAllBytes();
        }
        String key = INPUT + name;
        String eTag = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)).eTag()
                .replace("\"", "");
        return Map.of("bucket", bucket, "key", key, "encodedKey", URLEncoder.encode(key, StandardCharsets.UTF_8)
                .replace("%2F", "/"), "size", Integer.toString(bytes.length), "etag", eTag, "versionId", "");
    }

    private static Message message(String id, String body) {
        return Message.builder().messageId(id).receiptHandle("handle-" + id).body(body).build();
    }

    private boolean recorded(String name) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + ".lightly/ingest/records/" + name + ".json"))
                .keyCount() == 1;
    }

    private List<JsonNode> logLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void everyReadableRecordIsIngestedAndEveryUnreadableOneIsLoggedCountedAndReleased() throws IOException {
        List<Message> messages = List.of(
                message("m-percent", EventFixtures.body("s3-bad-percent-encoding-then-valid.json", upload("a b.jpg"))),
                message("m-sns", EventFixtures.body("sns-s3-created.json", upload("c+d.jpg"))),
                message("m-eventbridge", EventFixtures.body("eventbridge-object-created.json", upload("e f+g.jpg"))),
                message("m-deleted", EventFixtures.body("eventbridge-object-deleted.json", upload("h.jpg"))),
                message("m-sns-test", EventFixtures.body("sns-s3-test-event.json", Map.of("bucket", bucket))),
                message("m-garbage", EventFixtures.body("not-an-object-event.json", Map.of())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(SqsEvents.of(messages, "arn:aws:sqs:us-east-1:1:q")), out,
                new TestContext());

        assertEquals(0, Json.MAPPER.readTree(out.toByteArray()).path("batchItemFailures").size(),
                "nothing is retried: " + out);
        assertTrue(recorded("a b.jpg"), "the valid record after the bad one in the same message");
        assertTrue(recorded("c+d.jpg"), "unwrapped from SNS");
        assertTrue(recorded("e f+g.jpg"), "from EventBridge, key not encoded");
        assertTrue(!recorded("h.jpg"), "a deletion ingests nothing");
        List<JsonNode> lines = logLines();
        List<String> unreadable = lines.stream().filter(l -> "unreadable_event".equals(l.path("event").asText()))
                .map(l -> l.path("messageId").asText() + ": " + l.path("detail").asText()).toList();
        assertEquals(2, unreadable.size(), unreadable.toString());
        assertTrue(unreadable.stream().anyMatch(l -> l.startsWith("m-percent: ") && l.contains("100%ZZ.jpg")),
                unreadable.toString());
        assertTrue(unreadable.stream().anyMatch(l -> l.startsWith("m-garbage: ")), unreadable.toString());
        // The EventBridge deletion reaches the removal path; the object still exists, so nothing is removed.
        assertTrue(lines.stream().anyMatch(l -> "h.jpg".equals(l.path("key").asText())
                && "superseded".equals(l.path("outcome").asText())), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> "test_event_ignored".equals(l.path("event").asText())
                && "m-sns-test".equals(l.path("messageId").asText())));
        JsonNode metrics = lines.stream().filter(l -> l.has("_aws") && !l.has("Reason")).findFirst().orElseThrow();
        assertEquals(2, metrics.path("UnreadableEvents").asInt());
        assertEquals(3, metrics.path("Ingested").asInt());
        assertTrue(metrics.at("/_aws/CloudWatchMetrics/0/Metrics").toString().contains("\"UnreadableEvents\""));
    }

    @Test
    void aDirectEventBridgeInvocationIsIngested() throws IOException {
        String body = EventFixtures.body("eventbridge-object-created.json", upload("direct.jpg"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), out, new TestContext());

        assertEquals("{\"status\":\"ok\"}", out.toString(StandardCharsets.UTF_8));
        assertTrue(recorded("direct.jpg"));
    }
}
