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
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Custom metadata through the deployed wiring on moto: an image under {@code site/date/camera/} uploaded with
 * S3 user metadata and tags, and its sidecar, arrive as S3 -> SQS events; the sample Lightly's stub receives
 * carries every source, the sidecar's own event is recognised, and a later sidecar change updates the sample.
 */
@ExtendWith(MotoExtension.class)
class CustomMetadataEndToEndTest {
    private static final String INPUT = "projects/farm/";
    private static final String OUTPUT = "lightly/farm/";
    private static final String IMAGE = "farm-north/2024-06-01/cam3/cow 1.jpg";

    private final String bucket = MotoServer.freshName("datalake");
    private S3Client s3;
    private SqsClient sqs;
    private String queueUrl;
    private String queueArn;
    private LightlyApiStub lightly;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void bucketQueueAndLightly(MotoServer moto) {
        s3 = moto.clients().s3();
        sqs = moto.clients().sqs();
        s3.createBucket(b -> b.bucket(bucket));
        queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
        queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("ingest").queueArn(queueArn).events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value(INPUT)))))));
        lightly = LightlyApiStub.start();
    }

    @AfterEach
    void close() {
        try {
            assertEquals(List.of(), lightly.validationErrors(), "every request matches openapi.json");
        } finally {
            lightly.close();
            s3.close();
            sqs.close();
        }
    }

    private IngestHandler handler(MotoServer moto) {
        IngestSettings settings = IngestSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT,
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/" + OUTPUT,
                EnvironmentVariable.LIGHTLY_DATASET_ID.key(), lightly.datasetId(),
                EnvironmentVariable.CUSTOM_METADATA.key(), "key,user,tags,sidecar,exif",
                EnvironmentVariable.KEY_PATTERN.key(), "{site}/{date:datetime}/{camera}/*")::get);
        S3Client client = moto.clients().s3();
        LightlyClient lightlyClient = new LightlyClient(lightly.settings(Duration.ofSeconds(5)), RetryPolicy.DEFAULT,
                Clock.systemUTC(), Sleeper.SYSTEM);
        Ingestion ingestion = new Ingestion(settings, new S3ObjectStore(client, settings.input()),
                new S3ObjectStore(client, settings.output()), Optional.of(lightlyClient),
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
        return new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8), 2);
    }

    /** Drains the queue into the handler, deleting what succeeded; returns the number of failed messages. */
    private int drain(IngestHandler handler) throws IOException {
        int failures = 0;
        for (int idle = 0, round = 0; idle < 2 && round < 50; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(SqsEvents.of(messages, queueArn)), out, new TestContext());
            Set<String> failed = new HashSet<>();
            Json.MAPPER.readTree(out.toByteArray()).path("batchItemFailures")
                    .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            failures += failed.size();
            for (Message m : messages) {
                if (!failed.contains(m.messageId())) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
        return failures;
    }

    private static byte[] photo() throws IOException {
        try (InputStream in = CustomMetadataEndToEndTest.class.getResourceAsStream("/images/Apple_iPhone_4.jpg")) {
            return in.readAllBytes();
        }
    }

    private void putSidecar(String json) {
        s3.putObject(b -> b.bucket(bucket).key(INPUT + IMAGE + ".json"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    private JsonNode customMetaData() {
        return lightly.samplesByFileName().get(IMAGE).request().path("customMetaData");
    }

    @Test
    void anImageWithUserMetadataTagsAndSidecarReachesLightlyWithEverySource(MotoServer moto) throws IOException {
        byte[] image = photo();
        s3.putObject(b -> b.bucket(bucket).key(INPUT + IMAGE).metadata(Map.of("operator", "ana", "shift", "night"))
                .tagging("project=cows&reviewed=no"), RequestBody.fromBytes(image));
        putSidecar("{\"weather\":\"sunny\",\"cows\":3,\"annotated\":true}");

        assertEquals(0, drain(handler(moto)), "no message failed:\n" + logs);

        assertEquals(Set.of(IMAGE), lightly.samplesByFileName().keySet(), "the sidecar is no sample");
        assertEquals(Json.MAPPER.readTree("{"
                + "\"path\":{\"site\":\"farm-north\",\"date\":\"2024-06-01\",\"camera\":\"cam3\"},"
                + "\"user\":{\"operator\":\"ana\",\"shift\":\"night\"},"
                + "\"tags\":{\"project\":\"cows\",\"reviewed\":\"no\"},"
                + "\"sidecar\":{\"weather\":\"sunny\",\"cows\":3,\"annotated\":true},"
                + "\"exif\":{\"make\":\"Apple\",\"model\":\"iPhone 4\",\"capturedAt\":\"2011-01-13T14:33:39\","
                + "\"gps\":{\"lat\":41.853,\"lon\":12.488833333333334}}}"), customMetaData(),
                "JSON objects compare field by field, whatever order S3 returns user metadata and tags in");
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + OutputLayout.REJECTED)).contents().isEmpty(),
                "nothing rejected: the sidecar was recognised");

        putSidecar("{\"weather\":\"rain\",\"cows\":5}");
        assertEquals(0, drain(handler(moto)));

        assertEquals(Json.MAPPER.readTree("{\"weather\":\"rain\",\"cows\":5}"), customMetaData().path("sidecar"));
        assertEquals("ana", customMetaData().path("user").path("operator").asText(), "the other sources stay");
        assertEquals(1, lightly.samplesCreated());
        JsonNode record = Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key(OUTPUT + OutputLayout.recordKey(IMAGE))).asByteArray());
        assertEquals(customMetaData(), record.path("sampleCreateRequest").path("customMetaData"));
    }
}
