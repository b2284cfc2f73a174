package io.github.lightlys3ingest.moto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Documents how the emulator delivers S3 notifications to SQS, which the ingestion tests rely on: a
 * prefix filter is honoured, configuring the notification first sends an {@code s3:TestEvent}, and the
 * record's key is {@code quote_plus}-encoded (so {@code /} becomes {@code %2F}, unlike real S3) with an
 * {@code eventTime} lacking the {@code Z}. The bodies it captures are written to
 * {@code target/moto-captured/} for comparison with {@code src/test/resources/moto/}.
 */
@ExtendWith(MotoExtension.class)
class S3ToSqsNotificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String bucket = MotoServer.freshName("datalake");
    private static final String PREFIX = "projects/farm-animals/";

    private S3Client s3;
    private SqsClient sqs;
    private String queueUrl;

    @BeforeEach
    void bucketNotifiesQueueForPrefix(MotoServer moto) {
        s3 = moto.clients().s3();
        sqs = moto.clients().sqs();
        s3.createBucket(b -> b.bucket(bucket));
        queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("ingest-images").queueArn(queueArn)
                        .events(Event.S3_OBJECT_CREATED)
                        // moto accepts only the lower-case rule name; FilterRuleName.PREFIX sends "Prefix" (500)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value(PREFIX)))))));
    }

    @AfterEach
    void closeClients() {
        s3.close();
        sqs.close();
    }

    private List<JsonNode> drain() throws IOException {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message message : messages) {
                bodies.add(JSON.readTree(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    private static void capture(String name, JsonNode body) throws IOException {
        Path dir = Path.of("target", "moto-captured");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
    }

    @Test
    void configuringTheNotificationSendsATestEventFirst() throws IOException {
        List<JsonNode> bodies = drain();

        assertEquals(1, bodies.size(), bodies.toString());
        JsonNode test = bodies.get(0);
        capture("s3-test-event.json", test);
        assertEquals("Amazon S3", test.path("Service").asText());
        assertEquals("s3:TestEvent", test.path("Event").asText());
        assertEquals(bucket, test.path("Bucket").asText());
        assertFalse(test.has("Records"));
    }

    @Test
    void uploadUnderThePrefixIsDeliveredAndOneOutsideIsNot() throws IOException {
        drain();
        String key = PREFIX + "my photo+1 k\u00fche.jpg";
        s3.putObject(b -> b.bucket(bucket).key("projects/other/IMG_0002.jpg"), RequestBody.fromString("elsewhere"));
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("moo"));

        List<JsonNode> bodies = drain();

        assertEquals(1, bodies.size(), bodies.toString());
        capture("s3-put.json", bodies.get(0));
        JsonNode record = bodies.get(0).path("Records").get(0);
        assertEquals("ObjectCreated:Put", record.path("eventName").asText());
        assertEquals("aws:s3", record.path("eventSource").asText());
        assertEquals("ingest-images", record.path("s3").path("configurationId").asText());
        assertEquals(bucket, record.path("s3").path("bucket").path("name").asText());
        assertEquals(3, record.path("s3").path("object").path("size").asLong());
        String encoded = record.path("s3").path("object").path("key").asText();
        // moto applies Python's quote_plus to the whole key; real S3 leaves '/' as it is.
        assertEquals("projects%2Ffarm-animals%2Fmy+photo%2B1+k%C3%BChe.jpg", encoded);
        assertEquals(key, URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        String eventTime = record.path("eventTime").asText();
        assertTrue(eventTime.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), eventTime);
    }
}
