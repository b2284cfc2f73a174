package io.github.lightlys3ingest.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestRecord;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.pipeline.SourceRef;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The backfill against the S3 and SQS emulator: 5,000 objects, a real queue, and a time limit that forces
 * several hand-offs (each continuation runs in-process with the state the self-invocation would carry,
 * since moto's Lambda needs Docker). Timings go to stdout.
 */
@ExtendWith(MotoExtension.class)
class BackfillMotoTest {
    private static final String ROOT = "projects/farm-animals/";
    private static final int OBJECTS = 5000;
    private static final Duration MARGIN = Duration.ofSeconds(60);

    private final String bucket = MotoServer.freshName("datalake");
    private S3Client s3;
    private SqsClient sqs;
    private String queueUrl;
    private IngestSettings settings;
    private S3ObjectStore input;
    private S3ObjectStore output;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void bucketAndQueue(MotoServer moto) {
        s3 = moto.clients().s3();
        sqs = moto.clients().sqs();
        s3.createBucket(b -> b.bucket(bucket));
        queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))).queueUrl();
        settings = IngestSettings.parse(Map.of(EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + ROOT,
                EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/lightly/")::get);
        input = new S3ObjectStore(s3, settings.input());
        output = new S3ObjectStore(s3, settings.output());
    }

    @AfterEach
    void closeClients() {
        s3.close();
        sqs.close();
    }

    private Backfill backfill() {
        return new Backfill(settings, input, output, new SqsEnqueuer(sqs, queueUrl), "us-east-1",
                Backfill.DEFAULT_THREADS, MARGIN, Clock.systemUTC(), log::add);
    }

    @Test
    void fiveThousandObjectsAreEnqueuedExactlyOnceAcrossSeveralContinuations() throws Exception {
        long t0 = System.nanoTime();
        Set<String> expected = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            String key = ROOT + String.format("%s/%04d%s.jpg", i % 2 == 0 ? "cows" : "pigs", i,
                    i % 10 == 0 ? " a+b" : "");
            keys.add(key);
            expected.add(key);
        }
        List<String> neverEnqueued = List.of(ROOT + ".lightly/thumbnails/0001_thumb.jpg",
                ROOT + "cows/.lightly/ingest/records/0001.jpg.json", ROOT + "empty-folder/",
                "projects/farm-animals-old/0001.jpg", "projects/other/0001.jpg",
                "lightly/.lightly/ingest/claims/x.json");
        keys.addAll(neverEnqueued);
        putAll(keys);
        long t1 = System.nanoTime();

        List<BackfillResult> results = new ArrayList<>();
        BackfillState state = BackfillState.start(new BackfillRequest(bucket, ROOT, null, null, false));
        List<String> enqueued;
        long t2;
        // Records are read from memory here: 10,000 record GETs would double moto's work, and reading records
        // from S3 is covered by aReRunSkipsObjectsWhoseRecordIsCurrent.
        InMemoryObjectStore records = new InMemoryObjectStore("s3://" + bucket + "/lightly/");
        try (Drainer drainer = new Drainer();
             Backfill backfill = new Backfill(settings, input, records, drainer.paced(new SqsEnqueuer(sqs, queueUrl)),
                     "us-east-1", Backfill.DEFAULT_THREADS, MARGIN, Clock.systemUTC(), log::add)) {
            while (true) {
                List<BackfillState> handedOff = new ArrayList<>();
                AtomicInteger chunks = new AtomicInteger();
                // "Time runs short" after every 12 chunks (1,200 keys) of an invocation.
                BackfillResult result = backfill.run(state, () -> chunks.incrementAndGet() >= 12 ? 0 : 900_000,
                        handedOff::add);
                results.add(result);
                if (result.status() != BackfillResult.Status.HANDED_OFF) {
                    break;
                }
                state = handedOff.get(0);
            }
            t2 = System.nanoTime();
            enqueued = drainer.finish();
        }
        long t3 = System.nanoTime();

        BackfillResult last = results.get(results.size() - 1);
        BackfillProgress p = last.state().progress();
        System.out.printf("backfill on moto: put %d objects %.1f s; backfill %.1f s (%.2f ms/object, %d invocations, "
                        + "%d SendMessageBatch); drain finished %.1f s later%n", keys.size(), (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, (t2 - t1) / 1e6 / OBJECTS, results.size(), p.sendBatches(), (t3 - t2) / 1e9);
        assertEquals(OBJECTS, enqueued.size(), "no object enqueued twice");
        assertEquals(expected, new HashSet<>(enqueued));
        assertEquals(BackfillResult.Status.COMPLETE, last.status());
        assertTrue(results.size() >= 4, "continuations: " + (results.size() - 1));
        assertEquals(OBJECTS, p.enqueued());
        assertEquals(OBJECTS + 3, p.listed(), "the three ignored keys inside the input prefix are listed");
        assertEquals(3, p.skippedIgnored());
        assertTrue(p.sendBatches() >= OBJECTS / Enqueuer.MAX_BATCH
                && p.sendBatches() <= OBJECTS / Enqueuer.MAX_BATCH + p.listed() / 100 + 1,
                "full batches except at most one per chunk: " + p.sendBatches());
    }

    @Test
    void aReRunSkipsObjectsWhoseRecordIsCurrent() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            keys.add(ROOT + String.format("cows/%02d.jpg", i));
        }
        putAll(keys);
        Map<String, ObjectInfo> listed = new HashMap<>();
        input.list("", null, info -> listed.put(info.key(), info));
        for (int i = 0; i < 60; i += 3) {
            String fileName = String.format("cows/%02d.jpg", i);
            IngestRecord record = new IngestRecord(fileName, new SourceRef(bucket, null, ROOT + fileName,
                    listed.get(fileName).eTag(), null), "jpeg", null, null, 1, null, null, Instant.now());
            output.put(OutputLayout.recordKey(fileName), Json.MAPPER.writeValueAsBytes(record), "application/json");
        }
        // The record of an earlier version of an object:
        output.put(OutputLayout.recordKey("cows/01.jpg"), Json.MAPPER.writeValueAsBytes(new IngestRecord("cows/01.jpg",
                new SourceRef(bucket, null, ROOT + "cows/01.jpg", "0ld", null), "jpeg", null, null, 1, null,
                null, Instant.now())), "application/json");

        BackfillResult result;
        try (Backfill backfill = backfill()) {
            result = backfill.run(BackfillState.start(new BackfillRequest(bucket, ROOT, null, null, false)),
                    () -> Long.MAX_VALUE, next -> {
                        throw new AssertionError("no hand-off");
                    });
        }

        List<String> enqueued = drain();
        assertEquals(40, enqueued.size());
        assertTrue(enqueued.contains(ROOT + "cows/01.jpg"));
        assertTrue(enqueued.stream()
                .noneMatch(k -> Integer.parseInt(k.substring(k.length() - 6, k.length() - 4)) % 3 == 0));
        assertEquals(20, result.state().progress().skippedCurrent());
    }

    @Test
    void dryRunAndMaxObjectsSendNothingOrNoMoreThanAsked() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            keys.add(ROOT + String.format("%02d.jpg", i));
        }
        putAll(keys);
        try (Backfill backfill = backfill()) {
            BackfillResult dry = backfill.run(BackfillState.start(new BackfillRequest(bucket, ROOT, null, null, true)),
                    () -> Long.MAX_VALUE, next -> { });
            assertEquals(45, dry.state().progress().enqueued());
            assertEquals(List.of(), drain());

            BackfillResult limited = backfill.run(
                    BackfillState.start(new BackfillRequest(bucket, ROOT, null, 12L, false)), () -> Long.MAX_VALUE,
                    next -> { });
            assertEquals(BackfillResult.Status.LIMIT_REACHED, limited.status());
            List<String> enqueued = drain();
            assertEquals(keys.subList(0, 12), enqueued.stream().sorted().toList());
            assertEquals(ROOT + "11.jpg", limited.state().resumeAfter());
        }
    }

    /**
     * Receives and deletes messages while the backfill runs. moto scans the whole queue several times per
     * message sent or received, so a queue left to fill up to 5,000 messages takes seconds per receive (the
     * first version of this test ran 11 minutes); drained alongside, with the sender waiting while more
     * than {@value #BACKLOG} messages are waiting, it stays short.
     */
    private final class Drainer implements AutoCloseable {
        private static final int BACKLOG = 50;
        private final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private volatile boolean sendingDone;
        private final Future<?> loop;

        Drainer() {
            loop = thread.submit(() -> {
                int emptyAfterDone = 0;
                while (emptyAfterDone < 2) {
                    List<Message> messages = receive();
                    if (messages.isEmpty()) {
                        emptyAfterDone = sendingDone ? emptyAfterDone + 1 : 0;
                        continue;
                    }
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(messages.stream().map(m ->
                            software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                    .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
                    for (Message message : messages) {
                        keys.add(keyOf(message));
                    }
                }
                return null;
            });
        }

        Enqueuer paced(Enqueuer queue) {
            return bodies -> {
                queue.send(bodies);
                sent.addAndGet(bodies.size());
                while (sent.get() - keys.size() > BACKLOG && !loop.isDone()) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            };
        }

        List<String> finish() throws Exception {
            sendingDone = true;
            loop.get();
            return List.copyOf(keys);
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .visibilityTimeout(900)).messages();
    }

    private static String keyOf(Message message) throws IOException {
        JsonNode record = Json.MAPPER.readTree(message.body()).path("Records").path(0);
        assertEquals("ObjectCreated:Put", record.path("eventName").asText());
        return URLDecoder.decode(record.path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8);
    }

    private void putAll(List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key),
                        RequestBody.fromString("bytes of " + key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every message on the (short) queue, as decoded full keys; received messages stay invisible. */
    private List<String> drain() throws IOException {
        List<String> keys = new ArrayList<>();
        int emptyReceives = 0;
        while (emptyReceives < 2) {
            List<Message> messages = receive();
            if (messages.isEmpty()) {
                emptyReceives++;
            }
            for (Message message : messages) {
                keys.add(keyOf(message));
            }
        }
        return keys;
    }
}
