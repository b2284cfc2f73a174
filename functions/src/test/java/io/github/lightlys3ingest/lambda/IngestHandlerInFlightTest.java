package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.ForwardingStore;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The objects of one SQS batch are in flight together (their S3 and Lightly waits overlap), within a bound on
 * the encoded bytes they hold. Unit test: the stores are local folders, with reads observed.
 */
class IngestHandlerInFlightTest {
    private static final String BUCKET = "datalake";

    @TempDir
    Path tmp;

    /** Counts reads running at once; each read may wait for a latch, so overlapping reads can be proven. */
    private static final class ObservedStore extends ForwardingStore {
        private final CountDownLatch allReading;
        private final long waitSeconds;
        final AtomicInteger reading = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        ObservedStore(ObjectStore delegate, CountDownLatch allReading, long waitSeconds) {
            super(delegate);
            this.allReading = allReading;
            this.waitSeconds = waitSeconds;
        }

        @Override
        public byte[] read(String key, long maxBytes) throws IOException {
            mostAtOnce.accumulateAndGet(reading.incrementAndGet(), Math::max);
            try {
                allReading.countDown();
                // Waits for the other reads; gives up after a while, so a handler that reads fewer at once
                // still ends (and the test fails on the count, not by hanging).
                allReading.await(waitSeconds, TimeUnit.SECONDS);
                return super.read(key, maxBytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } finally {
                reading.decrementAndGet();
            }
        }
    }

    private ObservedStore input(int objects, CountDownLatch latch, long waitSeconds) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < objects; i++) {
            try (InputStream photo = getClass().getResourceAsStream("/images/FujiFilm_MX1700.jpg")) {
                Files.copy(photo, in.resolve("img-" + i + ".jpg"));
            }
        }
        return new ObservedStore(new LocalObjectStore(in), latch, waitSeconds);
    }

    private IngestHandler handler(ObservedStore input, Map<String, String> extra, ByteArrayOutputStream logs)
            throws IOException {
        Map<String, String> env = new HashMap<>(Map.of(
                EnvironmentVariable.INPUT_URI.key(), "s3://" + BUCKET + "/in/",
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + BUCKET + "/out/"));
        env.putAll(extra);
        IngestSettings settings = IngestSettings.parse(env::get);
        Ingestion ingestion = new Ingestion(settings, input,
                new LocalObjectStore(Files.createDirectories(tmp.resolve("out"))), Optional.empty(),
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
        return new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8), IngestHandler.WORKERS);
    }

    /**
     * An SQS batch with one S3 notification per object, stating {@code statedSize} bytes for each and the
     * object's real eTag (reads are pinned to it).
     */
    private static byte[] batch(ObjectStore input, int objects, long statedSize) throws IOException {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            ObjectNode record = Json.MAPPER.createObjectNode();
            record.put("eventVersion", "2.1");
            record.put("eventSource", "aws:s3");
            record.put("awsRegion", "us-east-1");
            record.put("eventTime", "2026-11-30T12:00:00.000Z");
            record.put("eventName", "ObjectCreated:Put");
            ObjectNode s3 = record.putObject("s3");
            s3.putObject("bucket").put("name", BUCKET);
            s3.putObject("object").put("key", "in/img-" + i + ".jpg").put("size", statedSize)
                    .put("eTag", input.head("img-" + i + ".jpg").orElseThrow().eTag());
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("Records").add(record);
            messages.add(Message.builder().messageId("m" + i).receiptHandle("r" + i)
                    .body(Json.MAPPER.writeValueAsString(body)).md5OfBody("0").build());
        }
        return SqsEvents.of(messages, "arn:aws:sqs:us-east-1:123456789012:ingest");
    }

    private static void assertAllIngested(ByteArrayOutputStream out, ByteArrayOutputStream logs, int objects) {
        assertEquals("{\"batchItemFailures\":[]}", out.toString(StandardCharsets.UTF_8).replace(" ", ""));
        long ingested = logs.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("\"outcome\":\"ingested\"")).count();
        assertEquals(objects, ingested, logs.toString(StandardCharsets.UTF_8));
    }

    @Test
    void allTenObjectsOfABatchAreInFlightAtOnceThoughOnlyTwoAnalyse() throws IOException {
        CountDownLatch allReading = new CountDownLatch(IngestHandler.IN_FLIGHT);
        ObservedStore input = input(IngestHandler.IN_FLIGHT, allReading, 30);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler(input, Map.of(), logs).handleRequest(
                new ByteArrayInputStream(batch(input, IngestHandler.IN_FLIGHT, 100_227)), out, new TestContext());

        assertEquals(IngestHandler.IN_FLIGHT, input.mostAtOnce.get(), "objects read at the same time");
        assertTrue(IngestHandler.WORKERS < IngestHandler.IN_FLIGHT);
        assertAllIngested(out, logs, IngestHandler.IN_FLIGHT);
    }

    @Test
    void objectsStatedLargerThanTheInFlightBudgetAreReadOneAtATime() throws IOException {
        int objects = 3;
        // The first read waits (3 s at most) for a second one to start beside it, which must not happen.
        CountDownLatch twoReading = new CountDownLatch(2);
        ObservedStore input = input(objects, twoReading, 3);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long huge = (IngestHandler.IN_FLIGHT_KIB + 1L) * 1024;

        handler(input, Map.of(EnvironmentVariable.MAX_OBJECT_BYTES.key(), Long.toString(2 * huge)), logs)
                .handleRequest(new ByteArrayInputStream(batch(input, objects, huge)), out, new TestContext());

        assertEquals(1, input.mostAtOnce.get(), "objects read at the same time");
        assertAllIngested(out, logs, objects);
    }
}
