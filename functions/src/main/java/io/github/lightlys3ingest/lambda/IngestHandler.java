package io.github.lightlys3ingest.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.json.LogKeys;
import io.github.lightlys3ingest.lightly.LightlyUnavailableException;
import io.github.lightlys3ingest.pipeline.FailureScope;
import io.github.lightlys3ingest.pipeline.IngestPipeline;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.Outcome;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.crac.Core;

/**
 * The ingestion function: {@code io.github.lightlys3ingest.lambda.IngestHandler::handleRequest}.
 *
 * <p>Takes an SQS batch whose messages are S3 event notifications (the deployed wiring: S3 -> SQS -> Lambda),
 * S3 notifications wrapped by SNS, or EventBridge S3 events ({@link ObjectEventParser} lists the shapes), and
 * answers an {@link SQSBatchResponse} naming only the messages to retry; or a plain S3 or EventBridge event
 * (as S3 sends it directly, or {@code aws lambda invoke --payload file://events/s3-put.json}), failing the
 * invocation if any of its objects failed. The SQS event is read with the Lambda runtime's own serializer.
 * Records that cannot be read are logged ({@code unreadable_event}, with the message id) and counted
 * ({@code UnreadableEvents}), never retried.
 *
 * <p>Objects outside the input prefix, under the output root or under any {@code .lightly/} folder are
 * skipped with a log line: the function never ingests its own output. {@code ObjectCreated} events are
 * ingested, {@code ObjectRemoved} events ({@code Delete}, {@code DeleteMarkerCreated}) remove what the object
 * left ({@link IngestPipeline#remove}). Once Lightly counts as down in an invocation, the objects not yet
 * started fail at once, without being read, so the queue retries them later.
 */
public final class IngestHandler implements RequestStreamHandler {
    /** Time kept back at the end of an invocation to write records, logs and the response. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);

    private static final ClassLoader LOADER = IngestHandler.class.getClassLoader();
    private static final PojoSerializer<SQSEvent> SQS_EVENT =
            LambdaEventSerializers.serializerFor(SQSEvent.class, LOADER);
    private static final PojoSerializer<SQSBatchResponse> BATCH_RESPONSE =
            LambdaEventSerializers.serializerFor(SQSBatchResponse.class, LOADER);

    private final Ingestion ingestion;
    private final PrintStream log;
    private final ExecutorService workers;
    private final Semaphore cpuWorkers;
    private final Semaphore inFlightKib = new Semaphore(IN_FLIGHT_KIB);
    /** Held here because the checkpoint context may only keep a weak reference to it. */
    private final SnapStartPriming priming;

    /**
     * Objects of a batch analysed at once: two vCPUs at 3008 MB; at the stack's default 1769 MB (one vCPU) two
     * analyses share it, and two 50 MP rasters fit either heap.
     */
    static final int WORKERS = 2;

    /**
     * Objects of a batch in flight at once (the stack's SQS batch size): each spends most of its time waiting
     * on S3 and Lightly round trips, which overlap, while only {@link #WORKERS} of them analyse at a time.
     */
    static final int IN_FLIGHT = 10;

    /**
     * Encoded bytes (KiB, as the event states each object's size) held by the objects in flight: a quarter of
     * the heap, so ten large objects read at once cannot exhaust it; a larger object waits and then runs alone.
     */
    static final int IN_FLIGHT_KIB = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / 1024);

    /** Called once per container by the Lambda runtime (and before the SnapStart snapshot). */
    public IngestHandler() {
        this(Ingestion.fromEnvironment(System::getenv), System.out, WORKERS);
        Core.getGlobalContext().register(priming);
    }

    IngestHandler(Ingestion ingestion, PrintStream log, int cpuWorkers) {
        this(ingestion, log, cpuWorkers, Math.max(cpuWorkers, IN_FLIGHT));
    }

    IngestHandler(Ingestion ingestion, PrintStream log, int cpuWorkers, int inFlight) {
        this.ingestion = ingestion;
        this.log = log;
        this.cpuWorkers = new Semaphore(cpuWorkers);
        this.priming = new SnapStartPriming(ingestion, log);
        this.workers = Executors.newFixedThreadPool(inFlight, runnable -> {
            Thread thread = new Thread(runnable, "ingest-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        String source = firstRecordSource(payload);
        Instant deadline = Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(SAFETY_MARGIN);
        String requestId = context.getAwsRequestId();
        EmbeddedMetrics metrics = new EmbeddedMetrics(context.getFunctionName(), requestId, ingestion.clock());
        try {
            if ("aws:sqs".equals(source)) {
                SQSBatchResponse response = handleSqs(SQS_EVENT.fromJson(new ByteArrayInputStream(payload)), deadline,
                        metrics, requestId);
                BATCH_RESPONSE.toJson(response, output);
            } else if ("aws:s3".equals(source) || "aws.s3".equals(directSource(payload))) {
                List<String> failed = handleDirect(Json.MAPPER.readTree(payload), deadline, metrics, requestId);
                if (!failed.isEmpty()) {
                    throw new IOException("objects failed and must be retried: " + failed);
                }
                output.write("{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("unsupported event: expected SQS messages, S3 event records or an "
                        + "EventBridge S3 event, got " + (source.isEmpty() ? "no Records[0].eventSource" : source));
            }
        } finally {
            metrics.documents().forEach(log::println);
        }
    }

    /**
     * The {@code eventSource} of the payload's first record, read as a stream up to that field, so that the
     * payload is parsed in full once, by the reader of its kind (the runtime's serializer for SQS batches).
     */
    static String firstRecordSource(byte[] payload) throws IOException {
        return topLevelField(payload, "Records", parser -> parser.currentToken() == JsonToken.START_ARRAY
                && parser.nextToken() == JsonToken.START_OBJECT ? sourceField(parser) : "");
    }

    /** Within a record object: its {@code eventSource} (S3, SQS) or {@code EventSource} (SNS). */
    private static String sourceField(JsonParser parser) throws IOException {
        String found = "";
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("eventSource".equals(field)) {
                return parser.getValueAsString("");
            }
            if ("EventSource".equals(field)) {
                found = parser.getValueAsString("");
            }
            parser.skipChildren();
        }
        return found;
    }

    /** The {@code source} of an EventBridge event ({@code aws.s3}), or empty. */
    private static String directSource(byte[] payload) throws IOException {
        return topLevelField(payload, "source", parser -> parser.getValueAsString(""));
    }

    /** What {@code value} reads at the payload's top-level field {@code name}; empty when there is none. */
    private static String topLevelField(byte[] payload, String name, FieldValue value) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (name.equals(field)) {
                    return value.read(parser);
                }
                parser.skipChildren();
            }
            return "";
        }
    }

    /** Reads a field's value, the parser standing on its first token. */
    private interface FieldValue {
        String read(JsonParser parser) throws IOException;
    }

    private SQSBatchResponse handleSqs(SQSEvent event, Instant deadline, EmbeddedMetrics metrics, String requestId) {
        IngestPipeline pipeline = ingestion.pipeline(deadline).withAnalysisPermits(cpuWorkers);
        AtomicReference<Throwable> outage = new AtomicReference<>();
        List<Future<Boolean>> results = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            results.add(workers.submit(() -> handleMessage(message, pipeline, deadline, metrics, outage,
                    logContext(requestId, message.getMessageId()))));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (!succeeded(results.get(i))) {
                failures.add(new SQSBatchResponse.BatchItemFailure(event.getRecords().get(i).getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * Handles every record of a message on its own: one that cannot be read is logged and counted but never
     * retried (it can never succeed), and does not keep the others from being ingested.
     *
     * @return true when every object of the message reached its final state (or was rightly skipped)
     */
    private boolean handleMessage(SQSEvent.SQSMessage message, IngestPipeline pipeline, Instant deadline,
                                  EmbeddedMetrics metrics, AtomicReference<Throwable> outage,
                                  Map<String, Object> context) {
        ObjectEventParser.Parsed parsed = ObjectEventParser.parse(message.getBody());
        if (parsed.testEvent()) {
            log.println(logLine("test_event_ignored", context, Map.of()));
        }
        unreadable(parsed, context, metrics);
        boolean ok = true;
        for (ObjectEvent event : parsed.events()) {
            ok &= handleEvent(event, pipeline, deadline, metrics, outage, context);
        }
        return ok;
    }

    /** A plain S3 event or EventBridge event, as S3 or EventBridge invoke a function directly. */
    private List<String> handleDirect(JsonNode payload, Instant deadline, EmbeddedMetrics metrics,
                                      String requestId) {
        IngestPipeline pipeline = ingestion.pipeline(deadline).withAnalysisPermits(cpuWorkers);
        AtomicReference<Throwable> outage = new AtomicReference<>();
        ObjectEventParser.Parsed parsed = ObjectEventParser.parse(payload);
        Map<String, Object> context = logContext(requestId, null);
        unreadable(parsed, context, metrics);
        List<String> failed = new ArrayList<>();
        for (ObjectEvent event : parsed.events()) {
            if (!handleEvent(event, pipeline, deadline, metrics, outage, context)) {
                failed.add(event.key());
            }
        }
        return failed;
    }

    private void unreadable(ObjectEventParser.Parsed parsed, Map<String, Object> context, EmbeddedMetrics metrics) {
        for (String why : parsed.unreadable()) {
            metrics.unreadable();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put(LogKeys.LEVEL, "WARN");
            line.put(LogKeys.EVENT, "unreadable_event");
            line.putAll(context);
            line.put(LogKeys.DETAIL, why);
            log.println(OutcomeLog.write(line));
        }
    }

    private boolean handleEvent(ObjectEvent event, IngestPipeline pipeline, Instant deadline, EmbeddedMetrics metrics,
                                AtomicReference<Throwable> outage, Map<String, Object> context) {
        String key = event.key();
        boolean removal = event.kind() == ObjectEvent.Kind.REMOVED;
        if (event.kind() != ObjectEvent.Kind.CREATED && !removal) {
            log.println(logLine("skipped_event", context, Map.of(LogKeys.BUCKET, event.bucket(),
                    LogKeys.OBJECT_KEY, key, LogKeys.EVENT_NAME, event.eventName())));
            return true;
        }
        Optional<String> fileName = ingestion.settings().inputFileName(event.bucket(), key);
        if (fileName.isEmpty()) {
            log.println(logLine("skipped_key", context, Map.of(LogKeys.BUCKET, event.bucket(), LogKeys.OBJECT_KEY, key,
                    LogKeys.DETAIL, "outside the input prefix, inside the output root, a folder or under .lightly/")));
            return true;
        }
        String name = fileName.get();
        if (Instant.now().isAfter(deadline)) {
            metrics.failed();
            log.println(OutcomeLog.failure(name, new IOException("no time left in this invocation; retried later"),
                    context));
            return false;
        }
        if (outage.get() != null) {
            if (outage.get() instanceof LightlyUnavailableException) {
                metrics.lightlyFailed();
            } else {
                metrics.failed();
            }
            log.println(OutcomeLog.failure(name, outage.get(), context));
            return false;
        }
        ObjectInfo info = new ObjectInfo(fileName.get(), event.size() == null ? -1 : event.size(), event.eTag(),
                event.versionId());
        // Charged as read: at most the largest object the pipeline reads (larger ones are rejected unread),
        // and that much when the event states no size.
        long maxBytes = ingestion.settings().ingestOptions().maxObjectBytes();
        long bytes = info.size() >= 0 ? Math.min(info.size(), maxBytes) : maxBytes;
        int kib = (int) Math.max(1, Math.min(IN_FLIGHT_KIB, bytes / 1024));
        inFlightKib.acquireUninterruptibly(kib);
        try {
            Outcome outcome = removal ? pipeline.remove(info) : pipeline.process(info);
            metrics.add(outcome);
            log.println(OutcomeLog.line(outcome, context));
            return outcome.done();
        } catch (LightlyUnavailableException e) {
            metrics.lightlyFailed();
            if (FailureScope.of(e) == FailureScope.RUN) {
                outage.compareAndSet(null, e);
            }
            log.println(OutcomeLog.failure(name, e, context));
            return false;
        } catch (Throwable e) {
            // OutOfMemoryError included: counted, logged, and the message retried.
            metrics.failed();
            if (FailureScope.of(e) == FailureScope.RUN) {
                outage.compareAndSet(null, e);
            }
            log.println(OutcomeLog.failure(name, e, context));
            return false;
        } finally {
            inFlightKib.release(kib);
        }
    }

    private static boolean succeeded(Future<Boolean> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private static String logLine(String event, Map<String, Object> context, Map<String, String> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(LogKeys.LEVEL, "INFO");
        line.put(LogKeys.EVENT, event);
        line.putAll(context);
        line.putAll(fields);
        return OutcomeLog.write(line);
    }

    /** The fields every line of an invocation carries: its request id and, for SQS, the message's id. */
    private static Map<String, Object> logContext(String requestId, String messageId) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(LogKeys.REQUEST_ID, requestId);
        if (messageId != null) {
            context.put(LogKeys.MESSAGE_ID, messageId);
        }
        return context;
    }
}
