package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.json.LogKeys;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.lightly.RetryPolicy;
import io.github.lightlys3ingest.lightly.Sleeper;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The deployed wiring end to end, on real parts: objects uploaded to moto's S3 notify a moto SQS queue
 * (prefix filter), the queue is drained into {@link IngestHandler} as Lambda would deliver it (event JSON read
 * by the runtime's serializer), thumbnails and records land in moto's S3, and samples in the OpenAPI-validating
 * Lightly stub.
 */
@ExtendWith(MotoExtension.class)
class IngestHandlerEndToEndTest {
    private static final String INPUT = "projects/farm-animals/";
    private static final String OUTPUT = "lightly/farm-animals/";
    private static final List<String> PHOTOS = List.of("Kodak_DX4330.jpg", "FujiFilm_MX1700.jpg",
            "Konica_Q-M100_2_.jpg", "metadata-extractor-dotnet_issue_51.jpg");

    /** As in the stack: a message that failed this often goes to the dead-letter queue. */
    private static final int MAX_RECEIVE_COUNT = 4;

    private final String bucket = MotoServer.freshName("datalake");
    private S3Client s3;
    private SqsClient sqs;
    private String queueUrl;
    private String queueArn;
    private String dlqUrl;
    private LightlyApiStub lightly;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void bucketQueueAndLightly(MotoServer moto) {
        s3 = moto.clients().s3();
        sqs = moto.clients().sqs();
        s3.createBucket(b -> b.bucket(bucket));
        dlqUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest-dlq"))).queueUrl();
        String dlqArn = arn(dlqUrl);
        queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest")).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}")))
                .queueUrl();
        queueArn = arn(queueUrl);
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("lightly-ingest").queueArn(queueArn)
                        .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED_DELETE)
                        // moto accepts only the lower-case rule name
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value(INPUT)))))));
        lightly = LightlyApiStub.start();
    }

    @AfterEach
    void close() {
        lightly.close();
        s3.close();
        sqs.close();
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private IngestHandler handler(MotoServer moto, RetryPolicy retries) {
        return handler(moto, retries, IngestHandler.IN_FLIGHT);
    }

    private IngestHandler handler(MotoServer moto, RetryPolicy retries, int inFlight) {
        return handler(moto, new LightlyClient(lightly.settings(Duration.ofSeconds(2)), retries, Clock.systemUTC(),
                Sleeper.SYSTEM), inFlight);
    }

    private IngestHandler handler(MotoServer moto, LightlyClient lightlyClient) {
        return handler(moto, lightlyClient, IngestHandler.IN_FLIGHT);
    }

    /** @param inFlight objects of a batch handled at once (two of them analyse) */
    private IngestHandler handler(MotoServer moto, LightlyClient lightlyClient, int inFlight) {
        IngestSettings settings = IngestSettings.parse(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT,
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/" + OUTPUT,
                EnvironmentVariable.LIGHTLY_DATASET_ID.key(), lightly.datasetId(),
                EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key(), lightly.baseUri().toString())::get);
        S3Client client = moto.clients().s3();
        Ingestion ingestion = new Ingestion(settings, new S3ObjectStore(client, settings.input()),
                new S3ObjectStore(client, settings.output()), Optional.of(lightlyClient),
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
        return new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8), 2, inFlight);
    }

    private static RetryPolicy fastRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(20), 0.5);
    }

    private static byte[] photo(String name) throws IOException {
        try (InputStream in = IngestHandlerEndToEndTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private void upload(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Invokes the handler with the SQS event and returns the ids of the messages it reported as failed. */
    private Set<String> invoke(IngestHandler handler, List<Message> messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(SqsEvents.of(messages, queueArn)), out, new TestContext());
        Set<String> failed = new HashSet<>();
        Json.MAPPER.readTree(out.toByteArray()).path("batchItemFailures")
                .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        return failed;
    }

    /**
     * Drains the queue into the handler as Lambda's event source mapping does: successful messages are
     * deleted, failed ones become visible again and are redelivered until moto moves them to the DLQ.
     *
     * @return how many invocations reported at least one failed message
     */
    private int drain(IngestHandler handler) throws IOException {
        int failingInvocations = 0;
        int idle = 0;
        for (int round = 0; round < 200 && idle < 3; round++) {
            List<Message> messages = receive();
            if (messages.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            Set<String> failed = invoke(handler, messages);
            failingInvocations += failed.isEmpty() ? 0 : 1;
            for (Message m : messages) {
                if (!failed.contains(m.messageId())) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
        return failingInvocations;
    }

    private Optional<ResponseBytes<GetObjectResponse>> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private JsonNode json(String key) throws IOException {
        return Json.MAPPER.readTree(get(key).orElseThrow(() -> new AssertionError("missing " + key)).asByteArray());
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
    void uploadedImagesBecomeOneSampleEachWithThumbnailRecordAndLogs(MotoServer moto) throws IOException {
        Map<String, String> keys = Map.of(
                "cows/IMG 0001.jpg", PHOTOS.get(0),
                "cows/a+b 100%.jpg", PHOTOS.get(1),
                "kühe/牛.jpg", PHOTOS.get(2));
        keys.forEach((name, photo) -> {
            try {
                upload(INPUT + name, photo(photo));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        byte[] whole = photo(PHOTOS.get(3));
        upload(INPUT + "broken/truncated.jpg", java.util.Arrays.copyOf(whole, whole.length / 3));
        upload(INPUT + "broken/notes.jpg", "not an image".getBytes(StandardCharsets.UTF_8));
        upload("elsewhere/outside.jpg", photo(PHOTOS.get(0)));
        upload(INPUT + "cows/.lightly/thumbnails/old_thumb.jpg", photo(PHOTOS.get(0)));

        assertEquals(0, drain(handler(moto, fastRetries(3))), "no message needed a retry");

        assertEquals(keys.keySet(), new TreeSet<>(lightly.samplesByFileName().keySet()));
        assertEquals(3, lightly.samplesCreated());
        assertEquals(List.of(), lightly.validationErrors(), "every request matches openapi.json");
        for (String name : keys.keySet()) {
            JsonNode record = json(OUTPUT + ".lightly/ingest/records/" + name + ".json");
            assertEquals(name, record.get("fileName").asText());
            assertEquals(bucket, record.at("/source/bucket").asText());
            assertEquals(INPUT + name, record.at("/source/key").asText());
            assertEquals(lightly.samplesByFileName().get(name).id(), record.get("lightlySampleId").asText());
            String thumbName = record.at("/sampleCreateRequest/thumbName").asText();
            assertEquals(thumbName, lightly.samplesByFileName().get(name).request().get("thumbName").asText());
            var thumb = get(OUTPUT + thumbName).orElseThrow(() -> new AssertionError("no thumbnail " + thumbName));
            assertEquals(record.at("/thumbnail/contentType").asText(), thumb.response().contentType());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(thumb.asByteArray()));
            assertNotNull(decoded, "thumbnail decodes as " + thumb.response().contentType());
            assertEquals(128, Math.max(decoded.getWidth(), decoded.getHeight()));
        }
        assertEquals("corrupt",
                json(OUTPUT + ".lightly/ingest/rejected/broken/truncated.jpg.json").get("reason").asText());
        assertEquals("unsupported_format",
                json(OUTPUT + ".lightly/ingest/rejected/broken/notes.jpg.json").get("reason").asText());
        assertTrue(get(OUTPUT + ".lightly/ingest/records/cows/.lightly/thumbnails/old_thumb.jpg.json").isEmpty());

        List<JsonNode> lines = logLines();
        assertTrue(lines.stream().anyMatch(l -> "test_event_ignored".equals(l.path("event").asText())),
                "the s3:TestEvent moto sends when the notification is configured is ignored");
        long ingested = lines.stream().filter(l -> "ingested".equals(l.path("outcome").asText())).count();
        assertEquals(3, ingested);
        JsonNode ingestedLine = lines.stream().filter(l -> "ingested".equals(l.path("outcome").asText()))
                .findFirst().orElseThrow();
        assertTrue(ingestedLine.has("sampleId") && ingestedLine.path("ms").has("analyze") && ingestedLine.has("bytes"));
        int emfIngested = lines.stream().filter(l -> l.has("_aws") && !l.has("Reason"))
                .mapToInt(l -> l.path("Ingested").asInt()).sum();
        assertEquals(3, emfIngested, "EMF metrics count the ingested objects");
        assertTrue(lines.stream().anyMatch(l -> "corrupt".equals(l.path("Reason").asText())),
                "rejections are counted per reason");
    }

    @Test
    void flakyLightlyStillGivesExactlyOneSamplePerImage(MotoServer moto) throws IOException {
        // 40 % of sample creations fail, some after creating the sample, and Lightly never answers 409; with 4
        // attempts per delivery and 4 deliveries every image gets through, once.
        lightly.acceptDuplicates(true);
        lightly.faultPlan(LightlyApiStub.FaultPlan.seeded(11).withTooManyRequests(0.1).withServerError(0.05)
                .withServerErrorAfterProcessing(0.05).withSlow(0.05).withReset(0.075).withLostResponse(0.075)
                .onlyFor(LightlyApiStub.CREATE_SAMPLE));
        lightly.slowDelay(Duration.ofSeconds(3));
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < 16; i++) {
            String name = "batch/img-" + i + ".jpg";
            names.add(name);
            upload(INPUT + name, photo(PHOTOS.get(i % PHOTOS.size())));
        }

        drain(handler(moto, fastRetries(3)));

        assertTrue(lightly.requestCount(LightlyApiStub.CREATE_SAMPLE) > 16, "faults were injected and retried");
        assertEquals(names, new TreeSet<>(lightly.samplesByFileName().keySet()));
        assertEquals(16, lightly.samplesCreated(), "no file name got a second sample");
        assertTrue(lightly.samplesPerFileName(lightly.datasetId()).values().stream().allMatch(n -> n == 1));
        for (String name : names) {
            assertEquals(lightly.samplesByFileName().get(name).id(),
                    json(OUTPUT + ".lightly/ingest/records/" + name + ".json").get("lightlySampleId").asText());
        }
        assertEquals(List.of(), lightly.validationErrors());
        assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(0)).messages().size());
    }

    @Test
    void sameMessageDeliveredThreeTimesConcurrentlyGivesOneSample(MotoServer moto) throws Exception {
        upload(INPUT + "dup/one.jpg", photo(PHOTOS.get(0)));
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 5 && messages.stream().noneMatch(m -> m.body().contains("one.jpg")); i++) {
            messages.addAll(receive());
        }
        Message delivery = messages.stream().filter(m -> m.body().contains("one.jpg")).findFirst().orElseThrow();
        IngestHandler handler = handler(moto, fastRetries(3));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Set<String>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Message copy = delivery.toBuilder().messageId("copy-" + i).build();
                results.add(pool.submit(() -> invoke(handler, List.of(copy))));
            }
            int failed = 0;
            for (Future<Set<String>> r : results) {
                failed += r.get().size();
            }
            assertTrue(failed <= 2, "at most the losers of the claim are retried");
            // The retried copies find the record and are skipped.
            for (int i = 0; i < 3; i++) {
                Message copy = delivery.toBuilder().messageId("retry-" + i).build();
                assertEquals(Set.of(), invoke(handler, List.of(copy)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, lightly.samplesCreated());
        assertEquals(1, lightly.requestCount(LightlyApiStub.CREATE_SAMPLE), "exactly one Lightly request");
    }

    @Test
    void transientFailureFailsOnlyItsMessageAndEndsInTheDlq(MotoServer moto) throws IOException {
        upload(INPUT + "ok/notes.jpg", "text".getBytes(StandardCharsets.UTF_8));
        upload(INPUT + "ok/photo.jpg", photo(PHOTOS.get(0)));
        lightly.faultPlan(
                LightlyApiStub.FaultPlan.seeded(1).withServerError(1.0).onlyFor(LightlyApiStub.CREATE_SAMPLE));

        int failingInvocations = drain(handler(moto, fastRetries(0)));

        assertEquals(MAX_RECEIVE_COUNT, failingInvocations, "the photo's message was retried before giving up");
        assertTrue(get(OUTPUT + ".lightly/ingest/rejected/ok/notes.jpg.json").isPresent(),
                "the rejection in the same batch was not held back");
        assertTrue(get(OUTPUT + ".lightly/ingest/records/ok/photo.jpg.json").isEmpty());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + ".lightly/ingest/claims/ok/photo.jpg@"))
                .keyCount(), "a failed attempt leaves no claim behind");
        assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + ".lightly/ingest/claims/ok/notes.jpg@"))
                .keyCount(), "a finished one keeps its claim");
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).body().contains("photo.jpg"));
        assertTrue(logLines().stream().anyMatch(l -> "failed".equals(l.path("outcome").asText())));
    }

    private static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillRect(width / 4, height / 4, width / 2, height / 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", bytes);
        return bytes.toByteArray();
    }

    @Test
    void aLateEventOfAnOverwrittenVersionIsSupersededAndTheNewShapeUpdatesTheSample(MotoServer moto)
            throws IOException {
        upload(INPUT + "cows/a.jpg", photo(PHOTOS.get(0)));
        upload(INPUT + "cows/a.jpg", jpeg(300, 100));
        IngestHandler handler = handler(moto, fastRetries(3));

        assertEquals(0, drain(handler));

        List<JsonNode> lines = logLines();
        assertEquals(1, lines.stream().filter(l -> "superseded".equals(l.path("outcome").asText())).count(),
                "the first version's event came after the overwrite");
        assertEquals(1, lines.stream().filter(l -> l.has("_aws")).mapToInt(l -> l.path("Superseded").asInt()).sum());
        JsonNode record = json(OUTPUT + ".lightly/ingest/records/cows/a.jpg.json");
        String eTag = s3.headObject(b -> b.bucket(bucket).key(INPUT + "cows/a.jpg")).eTag().replace("\"", "");
        assertEquals(eTag, record.at("/source/eTag").asText(), "the record pairs the new eTag with the new bytes");
        assertEquals("[100,300,3]", record.at("/sampleCreateRequest/metaData/shape").toString());
        assertEquals("[100,300,3]", lightly.samplesByFileName().get("cows/a.jpg").request().at("/metaData/shape")
                .toString());
        assertEquals(1, lightly.samplesCreated());

        // an overwrite after ingestion: one PUT of the same sample, no creation
        upload(INPUT + "cows/a.jpg", jpeg(64, 200));
        assertEquals(0, drain(handler));

        assertEquals(1, lightly.samplesCreated());
        assertEquals(1, lightly.requestCount(LightlyApiStub.UPDATE_SAMPLE));
        assertEquals("[200,64,3]", lightly.samplesByFileName().get("cows/a.jpg").request().at("/metaData/shape")
                .toString());
        assertEquals(lightly.samplesByFileName().get("cows/a.jpg").id(),
                json(OUTPUT + ".lightly/ingest/records/cows/a.jpg.json").get("lightlySampleId").asText());
        assertEquals(List.of(), lightly.validationErrors());
    }

    @Test
    void removingAnImageMarksItsSampleAndUploadingItAgainClearsTheMark(MotoServer moto) throws IOException {
        upload(INPUT + "cows/gone.jpg", photo(PHOTOS.get(0)));
        upload(INPUT + "cows/stays.jpg", photo(PHOTOS.get(1)));
        IngestHandler handler = handler(moto, fastRetries(3));
        assertEquals(0, drain(handler));
        String sampleId = lightly.samplesByFileName().get("cows/gone.jpg").id();
        String thumbName = json(OUTPUT + ".lightly/ingest/records/cows/gone.jpg.json").at("/thumbnail/key").asText();

        s3.deleteObject(b -> b.bucket(bucket).key(INPUT + "cows/gone.jpg"));
        assertEquals(0, drain(handler));

        assertTrue(get(OUTPUT + ".lightly/ingest/records/cows/gone.jpg.json").isEmpty());
        assertTrue(get(OUTPUT + thumbName).isEmpty());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + ".lightly/ingest/claims/cows/gone.jpg@"))
                .keyCount(), "its claims are gone, so the same bytes can come back");
        assertTrue(get(OUTPUT + ".lightly/ingest/records/cows/stays.jpg.json").isPresent());
        JsonNode note = json(OUTPUT + ".lightly/ingest/removed/cows/gone.jpg.json");
        assertEquals(sampleId, note.get("lightlySampleId").asText());
        assertEquals(INPUT + "cows/gone.jpg", note.at("/source/key").asText());
        JsonNode custom = lightly.samplesByFileName().get("cows/gone.jpg").request().get("customMetaData");
        assertTrue(custom.at("/s3/removed").asBoolean(), String.valueOf(custom));
        assertEquals(note.get("removedAt").asText(), custom.at("/s3/removedAt").asText());
        assertTrue(logLines().stream().anyMatch(l -> "removed".equals(l.path("outcome").asText())));
        assertEquals(1, logLines().stream().filter(l -> l.has("_aws")).mapToInt(l -> l.path("Removed").asInt()).sum());

        upload(INPUT + "cows/gone.jpg", photo(PHOTOS.get(0)));
        assertEquals(0, drain(handler));

        assertEquals(2, lightly.samplesCreated(), "the same sample came back");
        assertEquals(sampleId,
                json(OUTPUT + ".lightly/ingest/records/cows/gone.jpg.json").get("lightlySampleId").asText());
        assertFalse(lightly.samplesByFileName().get("cows/gone.jpg").request().get("customMetaData").has("s3"));
        assertTrue(get(OUTPUT + ".lightly/ingest/removed/cows/gone.jpg.json").isEmpty());
        assertTrue(get(OUTPUT + thumbName).isPresent());
        assertEquals(List.of(), lightly.validationErrors());
    }

    @Test
    void aLightlyOutageFailsTheRestOfTheBatchAtOnce(MotoServer moto) throws IOException {
        for (int i = 0; i < 8; i++) {
            upload(INPUT + "outage/img-" + i + ".jpg", photo(PHOTOS.get(i % PHOTOS.size())));
        }
        List<Message> messages = new ArrayList<>();
        for (int round = 0; round < 10 && messages.size() < 9; round++) {
            messages.addAll(receive());
        }
        messages.removeIf(m -> !m.body().contains("img-"));
        assertEquals(8, messages.size());
        lightly.failAll(LightlyApiStub.Fault.SERVICE_UNAVAILABLE);

        // Two objects in flight, so most of the batch is still waiting when Lightly is found down.
        Set<String> failed = invoke(handler(moto, fastRetries(2), 2), messages);

        assertEquals(messages.stream().map(Message::messageId).collect(java.util.stream.Collectors.toSet()), failed);
        int sent = lightly.requestCount(LightlyApiStub.CREATE_SAMPLE)
                + lightly.requestCount(LightlyApiStub.FIND_SAMPLES);
        // the first call uses its 3 attempts (the other worker's call too, at most), then one each until 3 in a row
        assertTrue(sent <= 8, "stopped sending once Lightly was down: " + lightly.requestsByEndpoint());
        List<JsonNode> lines = logLines();
        assertEquals(8, lines.stream().filter(l -> l.has("_aws"))
                .mapToInt(l -> l.path("LightlyFailures").asInt()).sum());
        assertTrue(lines.stream().filter(l -> "failed".equals(l.path("outcome").asText()))
                .allMatch(l -> l.path("detail").asText().startsWith("Lightly at " + lightly.baseUri())),
                logs.toString());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix(OUTPUT + ".lightly/ingest/claims/")).keyCount(),
                "no claim is left behind");
        assertFalse(logs.toString(StandardCharsets.UTF_8).contains(lightly.token()));
    }

    @Test
    void everyLineCarriesTheRequestAndMessageIdAndKeyIsAlwaysTheFileName(MotoServer moto) throws IOException {
        upload(INPUT + "logs/a.jpg", photo(PHOTOS.get(0)));
        upload(INPUT + "logs/notes.jpg", "not an image".getBytes(StandardCharsets.UTF_8));
        upload(INPUT + "logs/.lightly/own.jpg", photo(PHOTOS.get(1)));
        upload(INPUT + "logs/", new byte[0]);
        List<Message> messages = new ArrayList<>();
        for (int round = 0; round < 10 && messages.size() < 4; round++) {
            messages.addAll(receive());
            messages.removeIf(m -> !m.body().contains("logs"));
        }
        assertEquals(4, messages.size());
        Set<String> messageIds = messages.stream().map(Message::messageId).collect(Collectors.toSet());
        lightly.faultPlan(LightlyApiStub.FaultPlan.seeded(3).withServerError(1.0)
                .onlyFor(LightlyApiStub.CREATE_SAMPLE));

        Set<String> failed = invoke(handler(moto, fastRetries(1)), messages);

        assertEquals(1, failed.size(), "only a.jpg's message is retried");
        List<JsonNode> lines = logLines();
        for (JsonNode line : lines) {
            assertEquals("test-request", line.path(LogKeys.REQUEST_ID).asText(), line.toString());
            if (!line.has("_aws")) {
                assertTrue(messageIds.contains(line.path(LogKeys.MESSAGE_ID).asText()), line.toString());
            }
        }
        Map<String, String> outcomes = lines.stream().filter(l -> LogKeys.EVENT_OBJECT.equals(l.path("event").asText()))
                .collect(Collectors.toMap(l -> l.path(LogKeys.KEY).asText(), l -> l.path(LogKeys.OUTCOME).asText()));
        assertEquals(Map.of("logs/a.jpg", "failed", "logs/notes.jpg", "rejected"), outcomes,
                "failure and outcome lines name the object alike, relative to the input root: " + logs);
        Set<String> skipped = lines.stream().filter(l -> "skipped_key".equals(l.path("event").asText()))
                .peek(l -> assertFalse(l.has(LogKeys.KEY), "a key that is no input has no file name: " + l))
                .peek(l -> assertEquals(bucket, l.path(LogKeys.BUCKET).asText()))
                .map(l -> l.path(LogKeys.OBJECT_KEY).asText()).collect(Collectors.toSet());
        assertEquals(Set.of(INPUT + "logs/.lightly/own.jpg", INPUT + "logs/"), skipped);
    }

    @Test
    void aRefusedTokenFailsTheRestOfTheBatchWithoutSendingIt(MotoServer moto) throws IOException {
        for (int i = 0; i < 6; i++) {
            upload(INPUT + "token/img-" + i + ".jpg", photo(PHOTOS.get(i % PHOTOS.size())));
        }
        List<Message> messages = new ArrayList<>();
        for (int round = 0; round < 10 && messages.size() < 6; round++) {
            messages.addAll(receive());
            messages.removeIf(m -> !m.body().contains("img-"));
        }
        assertEquals(6, messages.size());
        LightlyClient refused = new LightlyClient(new LightlySettings(lightly.baseUri(), "revoked-token",
                lightly.datasetId(), Duration.ofSeconds(2)), fastRetries(2), Clock.systemUTC(), Sleeper.SYSTEM);

        // Two objects in flight, so most of the batch is still waiting when the token is refused.
        Set<String> failed = invoke(handler(moto, refused, 2), messages);

        assertEquals(messages.stream().map(Message::messageId).collect(Collectors.toSet()), failed,
                "all retried: the token may be fixed before the queue gives up");
        int refusals = lightly.requestsByEndpoint().values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(refusals <= 2 * 2, "a refusal stops the batch (FailureScope.RUN): at most one object per worker "
                + "reached Lightly: " + lightly.requestsByEndpoint());
        List<JsonNode> failures = logLines().stream().filter(l -> "failed".equals(l.path(LogKeys.OUTCOME).asText()))
                .toList();
        assertEquals(6, failures.size(), logs.toString());
        assertTrue(failures.stream().allMatch(l -> "LightlyApiException".equals(l.path(LogKeys.ERROR).asText())
                && l.path(LogKeys.KEY).asText().startsWith("token/img-")), logs.toString());
    }

    @Test
    void plainS3EventFromTheEventsFolderIsIngested(MotoServer moto) throws IOException {
        String event = Files.readString(Path.of("../events/s3-put.json"))
                .replace("\"datalake\"", "\"" + bucket + "\"")
                .replace("arn:aws:s3:::datalake", "arn:aws:s3:::" + bucket);
        String key = Json.MAPPER.readTree(event).at("/Records/0/s3/object/key").asText();
        assertTrue(key.startsWith(INPUT), key);
        upload(key, photo(PHOTOS.get(0)));
        // the bytes are read pinned to the event's eTag: give the event the one S3 gave the upload
        String eTag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag().replace("\"", "");
        event = event.replace("5f1b3a2ed0f6c2d1a9b8e7c6d5f4a3b2", eTag);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler(moto, fastRetries(3)).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                out, new TestContext());

        assertEquals("ok", Json.MAPPER.readTree(out.toByteArray()).path("status").asText());
        assertEquals(Set.of(key.substring(INPUT.length())), lightly.samplesByFileName().keySet());
    }

    @Test
    void unknownPayloadIsRefusedWithAClearMessage(MotoServer moto) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> handler(moto, fastRetries(0)).handleRequest(
                        new ByteArrayInputStream("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(), new TestContext()));
        assertTrue(e.getMessage().startsWith("unsupported event"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"));
    }
}
