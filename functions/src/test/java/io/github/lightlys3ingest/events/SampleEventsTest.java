package io.github.lightlys3ingest.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample payloads in the repository's {@code events/} folder parse with the serializer the Lambda Java
 * runtime itself uses ({@code aws-lambda-java-serialization}), and carry what the handler relies on. The
 * S3 emulator's own notification bodies (captured in {@code src/test/resources/moto/}) parse as well.
 */
class SampleEventsTest {
    private static final Path EVENTS = Path.of("..", "events");
    private static final String INPUT_PREFIX = "projects/farm-animals/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClassLoader LOADER = SampleEventsTest.class.getClassLoader();
    private static final PojoSerializer<S3Event> S3_EVENTS =
            LambdaEventSerializers.serializerFor(S3Event.class, LOADER);
    private static final PojoSerializer<SQSEvent> SQS_EVENTS =
            LambdaEventSerializers.serializerFor(SQSEvent.class, LOADER);

    private static S3Event s3Event(String file) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve(file))) {
            return S3_EVENTS.fromJson(in);
        }
    }

    private static SQSEvent sqsEvent(String file) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve(file))) {
            return SQS_EVENTS.fromJson(in);
        }
    }

    private static S3Event body(SQSEvent.SQSMessage message) {
        return S3_EVENTS.fromJson(new ByteArrayInputStream(message.getBody().getBytes(StandardCharsets.UTF_8)));
    }

    private static String decodedKey(S3EventNotificationRecord record) {
        return URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
    }

    private static String md5Hex(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void s3PutCarriesBucketKeySizeETagAndVersion() throws IOException {
        List<S3EventNotificationRecord> records = s3Event("s3-put.json").getRecords();

        assertEquals(1, records.size());
        S3EventNotificationRecord record = records.get(0);
        assertEquals("aws:s3", record.getEventSource());
        assertEquals("2.1", record.getEventVersion());
        assertEquals("ObjectCreated:Put", record.getEventName());
        assertEquals(Instant.parse("2026-03-14T09:26:53.123Z").toEpochMilli(), record.getEventTime().getMillis());
        assertEquals("datalake", record.getS3().getBucket().getName());
        assertEquals("arn:aws:s3:::datalake", record.getS3().getBucket().getArn());
        S3ObjectEntity object = record.getS3().getObject();
        assertEquals("projects/farm-animals/cows/IMG_0001.jpg", decodedKey(record));
        assertEquals(2563421L, object.getSizeAsLong());
        assertEquals("5f1b3a2ed0f6c2d1a9b8e7c6d5f4a3b2", object.geteTag());
        assertEquals("096fKKXTRTtl3on89fVO.nfljtsv6qko", object.getVersionId());
        assertEquals("0065F2C1A9D4B3E2F1", object.getSequencer());
    }

    @Test
    void sqsPutWrapsTheSameS3EventAsItsBody() throws Exception {
        List<SQSEvent.SQSMessage> messages = sqsEvent("sqs-s3-put.json").getRecords();

        assertEquals(1, messages.size());
        SQSEvent.SQSMessage message = messages.get(0);
        assertEquals("aws:sqs", message.getEventSource());
        assertEquals("arn:aws:sqs:us-east-1:123456789012:lightly-s3-ingest-queue", message.getEventSourceArn());
        assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d", message.getMessageId());
        assertEquals("1", message.getAttributes().get("ApproximateReceiveCount"));
        assertEquals(md5Hex(message.getBody()), message.getMd5OfBody());
        assertEquals(JSON.readTree(EVENTS.resolve("s3-put.json").toFile()), JSON.readTree(message.getBody()));
        assertEquals("projects/farm-animals/cows/IMG_0001.jpg", decodedKey(body(message).getRecords().get(0)));
    }

    @Test
    void awkwardKeysDecodeToTheUploadedNames() throws Exception {
        List<SQSEvent.SQSMessage> messages = sqsEvent("sqs-s3-awkward-keys.json").getRecords();

        List<String> keys = messages.stream().map(m -> decodedKey(body(m).getRecords().get(0))).toList();
        assertEquals(List.of(INPUT_PREFIX + "my photo 1.jpg", INPUT_PREFIX + "a+b.jpg", INPUT_PREFIX + "100% sharp.jpg",
                INPUT_PREFIX + "k\u00fche/\u725b.jpg"), keys);
        for (SQSEvent.SQSMessage message : messages) {
            assertEquals(md5Hex(message.getBody()), message.getMd5OfBody());
            S3ObjectEntity object = body(message).getRecords().get(0).getS3().getObject();
            // S3 omits versionId for an unversioned bucket; the runtime's serializer turns that into "".
            assertEquals("", object.getVersionId());
            // The events library's own decoder agrees with URLDecoder, '+' as space included.
            assertEquals(URLDecoder.decode(object.getKey(), StandardCharsets.UTF_8), object.getUrlDecodedKey());
        }
    }

    @Test
    void testEventHasNoRecords() throws IOException {
        SQSEvent.SQSMessage message = sqsEvent("sqs-s3-test-event.json").getRecords().get(0);

        JsonNode body = JSON.readTree(message.getBody());
        assertEquals("s3:TestEvent", body.path("Event").asText());
        assertEquals("datalake", body.path("Bucket").asText());
        // Parsed as an S3 event it yields an empty record list, which a handler can simply skip.
        assertEquals(List.of(), body(message).getRecords());
    }

    @Test
    void eventsOutsideTheInputAndUnderTheOutputAreDistinguishableByKey() throws IOException {
        String outside = decodedKey(s3Event("s3-put-outside-prefix.json").getRecords().get(0));
        String output = decodedKey(s3Event("s3-put-output-prefix.json").getRecords().get(0));

        assertFalse(outside.startsWith(INPUT_PREFIX), outside);
        assertTrue(output.startsWith(INPUT_PREFIX + ".lightly/"), output);
    }

    @Test
    void backfillNamesBucketAndPrefixWithOptionalLimits() throws IOException {
        JsonNode backfill = JSON.readTree(EVENTS.resolve("backfill.json").toFile());

        assertEquals("datalake", backfill.path("bucket").asText());
        assertEquals(INPUT_PREFIX, backfill.path("prefix").asText());
        assertTrue(backfill.path("startAfter").isNull());
        assertTrue(backfill.path("maxObjects").isNull());
        assertFalse(backfill.path("dryRun").asBoolean(true));
    }

    @Test
    void motoNotificationBodiesParseDespiteEncodedSlashesAndMissingZone() throws IOException {
        S3Event put;
        try (InputStream in = LOADER.getResourceAsStream("moto/s3-notification-put.json")) {
            put = S3_EVENTS.fromJson(in);
        }
        S3EventNotificationRecord record = put.getRecords().get(0);

        assertEquals("projects%2Ffarm-animals%2Fmy+photo%2B1+k%C3%BChe.jpg", record.getS3().getObject().getKey());
        assertEquals(INPUT_PREFIX + "my photo+1 k\u00fche.jpg", decodedKey(record));
        // moto writes its local time without a zone; the serializer reads it in the JVM's default zone.
        assertEquals(LocalDateTime.parse("2026-11-24T03:14:02.227").atZone(ZoneId.systemDefault()).toInstant()
                .toEpochMilli(), record.getEventTime().getMillis());
        assertEquals("", record.getS3().getObject().getVersionId());
        try (InputStream in = LOADER.getResourceAsStream("moto/s3-notification-test-event.json")) {
            assertEquals(List.of(), S3_EVENTS.fromJson(in).getRecords());
        }
    }
}
