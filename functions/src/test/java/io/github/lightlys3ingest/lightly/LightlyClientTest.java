package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lightlys3ingest.image.SampleMetaData;
import io.github.lightlys3ingest.lightly.LightlyApiStub.Fault;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the stub, over real HTTP; waits between retries are recorded, not slept. */
class LightlyClientTest {

    private static final Instant START = Instant.parse("2023-03-28T14:05:09Z");
    private static final RetryPolicy NO_JITTER = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(120),
            Duration.ofSeconds(10), 0);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(1500);

    private final LightlyApiStub stub = LightlyApiStub.start();
    private final ManualTime time = new ManualTime(START);
    private final LightlyClient client =
            new LightlyClient(stub.settings(Duration.ofSeconds(10)), NO_JITTER, time, time);

    @AfterEach
    void everyRequestMatchedTheDocument() {
        try {
            assertEquals(List.of(), stub.responseValidationErrors(), "the stub answered outside the document");
        } finally {
            stub.close();
        }
    }

    @Test
    void createsASampleWithExactlyTheRequestedFields() throws Exception {
        SampleMetaData metaData = new SampleMetaData(new int[] {480, 640, 3}, new double[] {0.5, 0.4, 0.3},
                new double[] {0.2, 0.2, 0.1}, new double[] {1.0, 2.0, 3.0}, new double[] {4.0, 5.0, 6.0}, 2.5, 31.7,
                123456);
        SampleCreateRequest request = new SampleCreateRequest("farm/cow 1.jpg",
                ".lightly/thumbnails/farm/cow 1_thumb.jpg", Map.of("Make", "Canon", "XResolution", 72.0), metaData);

        String id = client.createSample(request).orElseThrow();

        assertEquals(List.of(), stub.validationErrors());
        LightlyApiStub.StoredSample stored = stub.samplesByFileName().get("farm/cow 1.jpg");
        assertEquals(stored.id(), id);
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(json.writeValueAsString(request)), stored.request());
        assertEquals(31.7, stored.request().path("metaData").path("sharpness").asDouble());
    }

    @Test
    void leavesOutFieldsThatAreNull() throws Exception {
        client.createSample(new SampleCreateRequest("a.png", null, null, null));

        assertEquals(List.of(), stub.validationErrors());
        JsonNode stored = stub.samplesByFileName().get("a.png").request();
        assertEquals(List.of("fileName"), fieldNames(stored));
    }

    @Test
    void returnsTheExistingIdWhenTheFileNameExists() throws Exception {
        String existing = stub.addSample("folder/a b+c&d=é.jpg");

        String id = client.createSample(new SampleCreateRequest("folder/a b+c&d=é.jpg", null, null, null))
                .orElseThrow();

        assertEquals(existing, id);
        assertEquals(0, stub.samplesCreated());
        assertEquals(1, stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void treatsABadRequestSayingTheFileNameExistsAsExisting() throws Exception {
        String existing = stub.addSample("a.jpg");
        stub.duplicateStatus(400);

        assertEquals(existing, client.createSample(new SampleCreateRequest("a.jpg", null, null, null)).orElseThrow());
    }

    @Test
    void findsTheSampleItCreatedWhenTheResponseWasLost() throws Exception {
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.LOST_RESPONSE);

        String id = client.createSample(new SampleCreateRequest("a.jpg", null, null, null)).orElseThrow();

        assertEquals(stub.samplesByFileName().get("a.jpg").id(), id);
        assertEquals(1, stub.samplesByFileName().size());
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_SAMPLE), "looked up, not sent again");
        assertEquals(1, stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
    }

    @Test
    void retriesThrottlingServerErrorsResetsAndTimeoutsUntilItSucceeds() throws Exception {
        LightlyClient impatient = new LightlyClient(stub.settings(SHORT_TIMEOUT), NO_JITTER, time, time);
        stub.slowDelay(Duration.ofSeconds(6));
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.TOO_MANY_REQUESTS, Fault.SERVER_ERROR, Fault.RESET,
                Fault.SLOW);

        String id = impatient.createSample(new SampleCreateRequest("a.jpg", null, null, null)).orElseThrow();

        // the 429 is sent again at once; after the 500, the reset and the timeout the file name is looked up
        // first, and the lookup after the slow attempt finds the sample it created
        assertEquals(stub.samplesByFileName().get("a.jpg").id(), id);
        assertEquals(4, stub.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertEquals(3, stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(1, stub.samplesCreated());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), time.sleeps());
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws Exception {
        stub.retryAfterSeconds(3);
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.TOO_MANY_REQUESTS, Fault.SERVICE_UNAVAILABLE);

        client.createSample(new SampleCreateRequest("a.jpg", null, null, null));

        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), time.sleeps());
    }

    @Test
    void givesUpWithAnIOExceptionAfterTheSchedule() {
        stub.failNext(LightlyApiStub.ANY, Collections.nCopies(6, Fault.SERVER_ERROR).toArray(Fault[]::new));

        IOException e = assertThrows(IOException.class,
                () -> client.createSample(new SampleCreateRequest("a.jpg", null, null, null)));

        // after the first 500 every attempt is a lookup of the file name; all share the schedule
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertEquals(5, stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16)), time.sleeps());
        assertTrue(e.getMessage().contains("after 6 attempts") && e.getMessage().contains("HTTP 500"), e.getMessage());
        assertOneLineWithoutToken(e);
    }

    @Test
    void startsNoWaitThatWouldPassTheDeadline() {
        stub.failNext(LightlyApiStub.ANY, Collections.nCopies(6, Fault.SERVER_ERROR).toArray(Fault[]::new));
        LightlyClient bounded = client.withDeadline(START.plusSeconds(5));

        IOException e = assertThrows(IOException.class,
                () -> bounded.createSample(new SampleCreateRequest("a.jpg", null, null, null)));

        // 1 s + 2 s fit into 5 s; the 4 s after the third attempt would not
        assertEquals(3, stub.requestCount(LightlyApiStub.CREATE_SAMPLE)
                + stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps());
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        assertOneLineWithoutToken(e);
    }

    @Test
    void startsNoRequestOnceTheDeadlineHasPassed() {
        IOException e = assertThrows(IOException.class, () -> client.withDeadline(START).getDataset());

        assertEquals(Map.of(), stub.requestsByEndpoint());
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }

    @Test
    void shortensTheRequestTimeoutToTheTimeLeft() {
        // real clock: the request may take 10 s by the settings but only 1 s is left
        ManualTime sleeps = new ManualTime(START);
        LightlyClient realTime = new LightlyClient(stub.settings(Duration.ofSeconds(10)), NO_JITTER, Clock.systemUTC(),
                sleeps);
        stub.slowDelay(Duration.ofSeconds(6));
        stub.failNext(LightlyApiStub.GET_DATASET, Fault.SLOW);

        IOException e = assertThrows(IOException.class,
                () -> realTime.withDeadline(Instant.now().plusSeconds(1)).getDataset());

        assertEquals(1, stub.requestCount(LightlyApiStub.GET_DATASET));
        assertEquals(List.of(), sleeps.sleeps());
        assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
    }

    @Test
    void badRequestFailsAtOnceWithTheServersReason() {
        SampleMetaData outOfRange = new SampleMetaData(new int[] {1, 1, 3}, new double[] {2, 0, 0},
                new double[] {0, 0, 0}, new double[] {0, 0, 0}, new double[] {0, 0, 0}, 0, 0, 1);

        LightlyApiException e = assertThrows(LightlyApiException.class,
                () -> client.createSample(new SampleCreateRequest("a.jpg", null, null, outOfRange)));

        assertEquals(400, e.status());
        assertEquals("BAD_REQUEST", e.code());
        assertTrue(e.getMessage()
                .startsWith("Lightly API refused POST /v1/datasets/" + stub.datasetId() + "/samples: HTTP 400"),
                e.getMessage());
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertEquals(List.of(), time.sleeps());
        assertOneLineWithoutToken(e);
    }

    @Test
    void wrongTokenFailsAtOnceWithoutShowingTheToken() {
        LightlySettings wrong = new LightlySettings(stub.baseUri(), "wrong-secret-token", stub.datasetId(), null);
        LightlyClient intruder = new LightlyClient(wrong, NO_JITTER, time, time);

        LightlyApiException e = assertThrows(LightlyApiException.class,
                () -> intruder.createSample(new SampleCreateRequest("a.jpg", null, null, null)));

        assertEquals(401, e.status());
        assertEquals("JWT_INVALID", e.code());
        assertTrue(e.getMessage().contains("token *** is not valid"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret-token"), e.getMessage());
        assertEquals(1, stub.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void unknownDatasetFailsAtOnce() {
        LightlySettings elsewhere = new LightlySettings(stub.baseUri(), stub.token(), "ffffffffffffffffffffffff", null);

        LightlyApiException e = assertThrows(LightlyApiException.class,
                () -> new LightlyClient(elsewhere, NO_JITTER, time, time).getDataset());

        assertEquals(404, e.status());
        assertEquals("DATASET_UNKNOWN", e.code());
        assertOneLineWithoutToken(e);
    }

    @Test
    void unreachableServerIsANetworkErrorThatIsRetried() {
        URIHolder closed = new URIHolder();
        LightlyClient nowhere = new LightlyClient(new LightlySettings(closed.uri, stub.token(), stub.datasetId(),
                SHORT_TIMEOUT), NO_JITTER, time, time);

        IOException e = assertThrows(IOException.class, nowhere::getDataset);

        assertEquals(5, time.sleeps().size());
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
        assertOneLineWithoutToken(e);
    }

    @Test
    void firstTagIsTheInitialTagWithTheUploadModesImageType() throws Exception {
        createSamples("a.jpg", "b.jpg", "c.jpg");

        TagResult result = client.createTagIfNeeded(ImageType.THUMBNAIL);

        assertEquals(new TagResult(TagResult.Action.INITIAL, "initial-tag"), result);
        assertEquals(1, stub.tags().size());
        assertEquals("0x7", stub.tags().get(0).path("bitMaskData").asText());
        assertEquals("thumbnail", client.getDataset().imgType());
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void samplesAddedSinceTheLastTagGetAnUpsizeTagNamedAfterTheTime() throws Exception {
        createSamples("a.jpg", "b.jpg", "c.jpg");
        client.createTagIfNeeded(ImageType.META);
        createSamples("d.jpg", "e.jpg");

        TagResult result = client.createTagIfNeeded(ImageType.META);

        assertEquals(new TagResult(TagResult.Action.UPSIZE, "20230328_14h05m09s"), result);
        assertEquals(2, stub.tags().size());
        assertEquals("0x18", stub.tags().get(1).path("bitMaskData").asText());
        assertEquals("meta", client.getDataset().imgType());
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void nothingNewMeansNoTag() throws Exception {
        createSamples("a.jpg");
        client.createTagIfNeeded(ImageType.META);
        createSamples("b.jpg");
        client.createTagIfNeeded(ImageType.META);

        TagResult result = client.createTagIfNeeded(ImageType.META);

        assertEquals(new TagResult(TagResult.Action.NONE, "20230328_14h05m09s"), result);
        assertEquals(2, stub.tags().size());
        assertEquals(1, stub.requestCount(LightlyApiStub.UPSIZE_TAGS));
    }

    @Test
    void anEmptyDatasetGetsNoTag() throws Exception {
        assertEquals(new TagResult(TagResult.Action.NONE, null), client.createTagIfNeeded(ImageType.THUMBNAIL));
        assertEquals(0, stub.requestCount(LightlyApiStub.CREATE_INITIAL_TAG));
    }

    @Test
    void aRepeatedTagRequestWhoseFirstAttemptWentThroughSucceeds() throws Exception {
        createSamples("a.jpg");
        stub.failNext(LightlyApiStub.CREATE_INITIAL_TAG, Fault.LOST_RESPONSE);

        TagResult result = client.createTagIfNeeded(ImageType.THUMBNAIL);

        assertEquals(TagResult.Action.INITIAL, result.action());
        assertEquals(1, stub.tags().size());
        assertEquals(2, stub.requestCount(LightlyApiStub.CREATE_INITIAL_TAG));
    }

    @Test
    void setsListsAndVerifiesDatasources() throws Exception {
        client.setDatasource(new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT, "s3://datalake/farm/",
                "eu-central-1", S3DelegatedAccessDatasourceTest.ROLE, S3DelegatedAccessDatasourceTest.EXTERNAL_ID,
                null));
        client.setDatasource(new S3DelegatedAccessDatasource(DatasourcePurpose.LIGHTLY, "s3://datalake/lightly/",
                "eu-central-1", S3DelegatedAccessDatasourceTest.ROLE, S3DelegatedAccessDatasourceTest.EXTERNAL_ID,
                S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX));
        stub.verification(new DatasourceVerification(true, false, true, false,
                Map.of("canWrite", "AccessDenied on PutObject", "canOverwrite", "AccessDenied on PutObject")));

        List<ConfiguredDatasource> datasources = client.listDatasources();
        DatasourceVerification verification = client.verifyDatasource();

        assertEquals(List.of(), stub.validationErrors());
        assertEquals(2, datasources.size());
        ConfiguredDatasource input = datasources.get(0);
        assertEquals(DatasourcePurpose.INPUT, input.purpose());
        assertEquals("S3DelegatedAccess", input.type());
        assertEquals("s3://datalake/farm/", input.fullPath());
        assertNull(input.thumbSuffix());
        assertEquals(S3DelegatedAccessDatasourceTest.ROLE, input.s3ARN());
        assertTrue(input.id().matches("[a-f0-9]{24}"), input.id());
        assertEquals(S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX, datasources.get(1).thumbSuffix());
        assertEquals(new DatasourceVerification(true, false, true, false,
                Map.of("canWrite", "AccessDenied on PutObject", "canOverwrite", "AccessDenied on PutObject")),
                verification);
        assertFalse(verification.allGranted());
    }

    @Test
    void replacingADatasourceKeepsOnePerPurpose() throws Exception {
        for (String path : List.of("s3://datalake/old/", "s3://datalake/new/")) {
            client.setDatasource(new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT, path, "us-east-1",
                    S3DelegatedAccessDatasourceTest.ROLE, S3DelegatedAccessDatasourceTest.EXTERNAL_ID, null));
        }
        assertEquals(List.of("s3://datalake/new/"),
                client.listDatasources().stream().map(ConfiguredDatasource::fullPath).toList());
    }

    @Test
    void readsTheDataset() throws Exception {
        createSamples("a.jpg", "b.jpg");

        DatasetInfo dataset = client.getDataset();

        assertEquals(stub.datasetId(), dataset.id());
        assertEquals(2, dataset.nSamples());
        assertEquals("Images", dataset.type());
        assertNull(dataset.imgType());
    }

    @Test
    void concurrentUploadsThroughRandomFaultsCreateEachSampleOnce() throws Exception {
        stub.faultPlan(LightlyApiStub.FaultPlan.seeded(42).withTooManyRequests(0.1).withServerError(0.1)
                .withReset(0.1).withLostResponse(0.1));
        LightlyClient patient = new LightlyClient(stub.settings(Duration.ofSeconds(10)),
                new RetryPolicy(12, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(2), 0.5),
                Clock.systemUTC(), Sleeper.SYSTEM);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        Map<String, Future<String>> ids = new HashMap<>();
        try {
            for (int i = 0; i < 60; i++) {
                String fileName = "batch/img-" + i + ".jpg";
                ids.put(fileName, workers.submit(
                        () -> patient.createSample(new SampleCreateRequest(fileName, null, null, null)).orElseThrow()));
            }
            for (Map.Entry<String, Future<String>> id : ids.entrySet()) {
                String returned = id.getValue().get();
                assertEquals(stub.samplesByFileName().get(id.getKey()).id(), returned);
            }
        } finally {
            workers.shutdownNow();
        }
        assertEquals(60, stub.samplesByFileName().size());
        assertEquals(60, stub.samplesCreated());
        assertTrue(stub.requestCount(LightlyApiStub.CREATE_SAMPLE) > 60, stub.requestsByEndpoint().toString());
        assertEquals(List.of(), stub.validationErrors());
    }

    private void createSamples(String... fileNames) throws IOException {
        for (String fileName : fileNames) {
            client.createSample(new SampleCreateRequest(fileName, null, null, null));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void createsEachFileNameOnceWhenLightlyAcceptsDuplicatesAndAnswers500AfterCreating() throws Exception {
        stub.acceptDuplicates(true);
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.SERVER_ERROR_AFTER_PROCESSING, Fault.LOST_RESPONSE);

        String first = client.createSample(new SampleCreateRequest("a.jpg", null, null, null)).orElseThrow();
        String second = client.createSample(new SampleCreateRequest("b.jpg", null, null, null)).orElseThrow();

        assertEquals(Map.of("a.jpg", 1, "b.jpg", 1), stub.samplesPerFileName(stub.datasetId()));
        assertEquals(stub.samplesByFileName().get("a.jpg").id(), first);
        assertEquals(stub.samplesByFileName().get("b.jpg").id(), second);
        assertEquals(2, stub.requestCount(LightlyApiStub.CREATE_SAMPLE), "no POST was sent twice");
        assertEquals(2, stub.requestCount(LightlyApiStub.FIND_SAMPLES));
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void createsWithOneRequestWhenNothingFails() throws Exception {
        client.createSample(new SampleCreateRequest("a.jpg", null, null, null));

        assertEquals(Map.of(LightlyApiStub.CREATE_SAMPLE, 1), stub.requestsByEndpoint());
    }

    @Test
    void abandonsAHungRequestAfterTheTimeoutAndRetriesIt() throws Exception {
        LightlyClient impatient = new LightlyClient(stub.settings(Duration.ofSeconds(1)), NO_JITTER, time, time);
        stub.acceptDuplicates(true);
        stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.HANG);
        long started = System.nanoTime();

        String id = impatient.createSample(new SampleCreateRequest("a.jpg", null, null, null)).orElseThrow();

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("hung request abandoned and retried in %.2f s (request timeout 1 s)%n", seconds);
        assertEquals(stub.samplesByFileName().get("a.jpg").id(), id);
        assertEquals(Map.of("a.jpg", 1), stub.samplesPerFileName(stub.datasetId()));
        assertEquals(2, stub.requestCount(LightlyApiStub.CREATE_SAMPLE));
        assertEquals(1, stub.requestCount(LightlyApiStub.FIND_SAMPLES), "the hung POST may have arrived: looked up");
    }

    @Test
    void threeCallsInARowFailingAfterRetriesMakeLightlyDownAndLaterCallsSendNothing() {
        stub.refuseConnections();

        List<IOException> failures = new ArrayList<>();
        for (String name : List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg")) {
            failures.add(assertThrows(IOException.class,
                    () -> client.createSample(new SampleCreateRequest(name, null, null, null))));
        }
        stub.acceptConnections();
        IOException later = assertThrows(IOException.class, () -> client.findSample("e.jpg"));

        // the first call uses the whole schedule; once Lightly is suspect, each call gets one attempt
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16)), time.sleeps());
        for (int i = 0; i < 2; i++) {
            assertFalse(((LightlyUnavailableException) failures.get(i)).systemic(), failures.get(i).getMessage());
        }
        for (IOException down : List.of(failures.get(2), failures.get(3), later)) {
            assertTrue(((LightlyUnavailableException) down).systemic());
            assertTrue(down.getMessage().startsWith("Lightly at " + stub.baseUri() + " is unavailable: "),
                    down.getMessage());
            assertTrue(down.getMessage().contains("ConnectException"), down.getMessage());
            assertOneLineWithoutToken(down);
        }
        assertEquals(Map.of(), stub.requestsByEndpoint(), "nothing reached the stub, not even after it came back");
    }

    @Test
    void anAnswerClearsTheSuspicion() throws Exception {
        stub.failNext(LightlyApiStub.ANY, Collections.nCopies(7, Fault.SERVICE_UNAVAILABLE).toArray(Fault[]::new));
        assertThrows(LightlyUnavailableException.class, () -> client.findSample("a.jpg"));
        assertThrows(LightlyUnavailableException.class, () -> client.findSample("a.jpg"));

        assertEquals(Optional.empty(), client.findSample("a.jpg"));
        assertEquals(Optional.empty(), client.findSample("b.jpg"));
        stub.failNext(LightlyApiStub.ANY, Fault.SERVICE_UNAVAILABLE, Fault.SERVICE_UNAVAILABLE);

        assertEquals(Optional.empty(), client.findSample("c.jpg"), "a full schedule again after an answer");
    }

    @Test
    void readsAndUpdatesASampleKeepingFieldsTheUpdateLeavesOut() throws Exception {
        String id = client.createSample(new SampleCreateRequest("a.jpg", "thumb/a.jpg", Map.of("Make", "Canon"),
                null)).orElseThrow();
        client.updateSample(id, SampleUpdateRequest.customMetaData(Map.of("s3", Map.of("removed", true))));
        client.updateSample(id, new SampleUpdateRequest("thumb/a2.jpg", Map.of(), null, null));

        LightlySample sample = client.getSample(id).orElseThrow();

        assertEquals("a.jpg", sample.fileName());
        assertEquals(Map.of("s3", Map.of("removed", true)), sample.customMetaData());
        JsonNode stored = stub.samplesByFileName().get("a.jpg").request();
        assertEquals("thumb/a2.jpg", stored.path("thumbName").asText());
        assertEquals(0, stored.path("exif").size(), "an empty exif replaces the old tags");
        assertEquals(Optional.empty(), client.getSample("0123456789abcdef01234567"));
        assertEquals(List.of(), stub.validationErrors());
    }

    @Test
    void aTokenWithPlusSlashAndEqualsIsNeverPrintedRawOrEncoded() {
        String token = "tok+en/with=sign s";
        LightlyClient wrong = new LightlyClient(new LightlySettings(stub.baseUri(), token, stub.datasetId(),
                Duration.ofSeconds(5)), NO_JITTER, time, time);

        LightlyApiException e = assertThrows(LightlyApiException.class,
                () -> wrong.createSample(new SampleCreateRequest("a.jpg", null, null, null)));

        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("***"), e.getMessage());
        for (String form : List.of(token, "tok%2Ben%2Fwith%3Dsign+s", "tok%2Ben%2Fwith%3Dsign%20s",
                "tok%2ben%2fwith%3dsign%20s", "tok%2ben%2fwith%3dsign+s")) {
            assertFalse(e.getMessage().contains(form), form + " in " + e.getMessage());
        }
    }

    private static void assertOneLineWithoutToken(Exception e) {
        assertFalse(e.getMessage().contains(LightlyApiStub.TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNull(e.getCause(), "a cause could carry the token");
    }

    /** A local address nothing listens on. */
    private static final class URIHolder {
        final java.net.URI uri;

        URIHolder() {
            try (java.net.ServerSocket socket =
                    new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                uri = java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
