package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.image.Analysis;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.image.Thumbnail;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Turns one input object into a Lightly sample plus a record, or into a rejection, exactly once.
 *
 * <p>Exactly once rests on conditional writes to the output datasource. A worker first claims the object's
 * version with {@link ObjectStore#putIfAbsent} (on S3 a PUT with {@code If-None-Match: *}) of
 * {@code .lightly/ingest/claims/<fileName>@<eTag>.json}. The first claim of a version wins and does the
 * work; its claim stays as the mark that this version was taken on. A later delivery of the same version
 * loses the claim and looks at the record: current means the object is done ({@link Outcome.Status#SKIPPED});
 * otherwise a fresh claim means another worker is on it ({@link Outcome.Status#BUSY}, its caller retries
 * later), and a claim older than the lease belongs to a worker that died, so the object is taken over and
 * Lightly is asked first whether that worker had created the sample. A failed attempt releases its claim.
 * A changed object has a new eTag, hence a new claim, and is ingested again.
 *
 * <p>Problems with the bytes become rejections; problems reaching S3 or Lightly propagate as
 * {@link IOException} so the caller can retry the object. Thread-safe.
 */
public final class IngestPipeline {
    private static final String JSON = "application/json";
    private static final long MAX_CLAIM_BYTES = 1024 * 1024;

    /** Threads for S3 calls that overlap another round trip; they wait on the network, not the CPU. */
    private static final ExecutorService IO = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "ingest-io");
        thread.setDaemon(true);
        return thread;
    });

    private final ObjectStore input;
    private final ObjectStore output;
    private final SampleSink sink;
    private final ImageAnalyzer analyzer;
    private final IngestOptions options;
    private final Clock clock;
    private final String workerId;
    /** Bounds the analyses running at once when callers keep more objects in flight than they have CPUs. */
    private final Semaphore analysisPermits;

    public IngestPipeline(ObjectStore input, ObjectStore output, SampleSink sink, ImageAnalyzer analyzer,
                          IngestOptions options, Clock clock) {
        this(input, output, sink, analyzer, options, clock, UUID.randomUUID().toString(),
                new Semaphore(Integer.MAX_VALUE));
    }

    private IngestPipeline(ObjectStore input, ObjectStore output, SampleSink sink, ImageAnalyzer analyzer,
                           IngestOptions options, Clock clock, String workerId, Semaphore analysisPermits) {
        this.input = input;
        this.output = output;
        this.sink = sink;
        this.analyzer = analyzer;
        this.options = options;
        this.clock = clock;
        this.workerId = workerId;
        this.analysisPermits = analysisPermits;
    }

    /**
     * This pipeline with analyses bounded by {@code permits}, one taken per analysis: lets a caller keep
     * more objects in flight (waiting on S3 and Lightly) than it has CPUs to decode them.
     */
    public IngestPipeline withAnalysisPermits(Semaphore permits) {
        return new IngestPipeline(input, output, sink, analyzer, options, clock, workerId, permits);
    }

    public ObjectStore input() {
        return input;
    }

    public ObjectStore output() {
        return output;
    }

    /**
     * Processes one object of the input datasource.
     *
     * @param object key relative to the input root, with its size and version
     * @throws IOException on transient S3 or Lightly failures: nothing was recorded, retry the object
     */
    public Outcome process(ObjectInfo object) throws IOException {
        Stages stages = new Stages();
        SourceRef source = sourceOf(object);
        String claimKey = OutputLayout.claimKey(object.key(), source);
        byte[] claim = Json.MAPPER.writeValueAsBytes(new Claim(workerId, source, clock.instant()));
        boolean tookOver = false;
        if (!output.putIfAbsent(claimKey, claim, JSON)) {
            // Claimed before: done (its record or rejection is current), in progress, or abandoned.
            boolean current = isCurrent(object.key(), source);
            stages.lap("check");
            if (current) {
                return stages.outcome(object, Outcome.Status.SKIPPED, null, "record is current", null);
            }
            Optional<Instant> claimedAt = claimedAt(claimKey);
            if (claimedAt.isPresent() && claimedAt.get().plus(options.claimLease()).isAfter(clock.instant())) {
                return stages.outcome(object, Outcome.Status.BUSY, null, "another worker is ingesting this object", null);
            }
            output.delete(claimKey);
            if (!output.putIfAbsent(claimKey, claim, JSON)) {
                return stages.outcome(object, Outcome.Status.BUSY, null, "another worker took the object over", null);
            }
            tookOver = true;
        }
        stages.lap("claim");
        boolean done = false;
        try {
            Outcome outcome = ingestClaimed(object, source, tookOver, stages);
            done = true;
            return outcome;
        } catch (NoSuchObjectException e) {
            // Events arrive late: the object was deleted before it could be read, so there is nothing to ingest.
            return stages.outcome(object, Outcome.Status.SKIPPED, null, "object no longer exists", null);
        } finally {
            if (!done) {
                // Let the retry (or a re-created object) claim it again at once rather than after the lease.
                output.delete(claimKey);
            }
        }
    }

    /**
     * Analyses one object without writing anything.
     *
     * @return the {@link IngestRecord} (without sample id) or {@link Rejection} that {@link #process} would write
     */
    public Object preview(ObjectInfo object) throws IOException {
        SourceRef source = sourceOf(object);
        Analysis analysis = analyze(object, new Stages());
        return analysis instanceof Analysis.Accepted accepted
                ? record(object.key(), source, accepted, null)
                : rejection(object.key(), source, (Analysis.Rejected) analysis);
    }

    private Outcome ingestClaimed(ObjectInfo object, SourceRef source, boolean tookOver, Stages stages)
            throws IOException {
        String fileName = object.key();
        Analysis analysis = analyze(object, stages);
        if (analysis instanceof Analysis.Rejected rejected) {
            Rejection rejection = rejection(fileName, source, rejected);
            output.put(OutputLayout.rejectionKey(fileName), Json.MAPPER.writeValueAsBytes(rejection), JSON);
            stages.lap("record");
            return stages.outcome(object, Outcome.Status.REJECTED, rejected.reason(), rejected.detail(), null);
        }
        Analysis.Accepted accepted = (Analysis.Accepted) analysis;
        IngestRecord draft = record(fileName, source, accepted, null);
        // The thumbnail upload and the Lightly call are independent round trips: overlap them.
        CompletableFuture<Void> thumbnail = draft.thumbnail() == null
                ? CompletableFuture.completedFuture(null)
                : async(() -> output.put(draft.thumbnail().key(), accepted.thumbnail().bytes(),
                accepted.thumbnail().contentType()));
        Optional<String> sampleId;
        try {
            sampleId = tookOver ? sink.findSample(fileName) : Optional.empty();
            if (sampleId.isEmpty()) {
                sampleId = sink.createSample(draft.sampleCreateRequest());
            }
        } catch (IOException | RuntimeException e) {
            settle(thumbnail);
            throw e;
        }
        await(thumbnail);
        stages.lap("thumbnail+lightly");
        IngestRecord record = record(fileName, source, accepted, sampleId.orElse(null));
        // A rejection of an earlier version would contradict the record; deleting a missing key is a free no-op.
        CompletableFuture<Void> staleRejection = async(() -> output.delete(OutputLayout.rejectionKey(fileName)));
        try {
            output.put(OutputLayout.recordKey(fileName), Json.MAPPER.writeValueAsBytes(record), JSON);
        } catch (IOException | RuntimeException e) {
            settle(staleRejection);
            throw e;
        }
        await(staleRejection);
        stages.lap("record");
        return stages.outcome(object, Outcome.Status.INGESTED, null, null, sampleId.orElse(null));
    }

    /** One S3 call on the I/O pool. */
    private static CompletableFuture<Void> async(IoCall call) {
        return CompletableFuture.runAsync(() -> {
            try {
                call.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, IO);
    }

    /** Waits for a call from {@link #async}, rethrowing its failure as it was thrown. */
    private static void await(CompletableFuture<Void> call) throws IOException {
        try {
            call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Waits for a call whose outcome no longer matters, because the object already failed. */
    private static void settle(CompletableFuture<Void> call) {
        call.exceptionally(e -> null).join();
    }

    /** An S3 call that may fail. */
    private interface IoCall {
        void run() throws IOException;
    }

    /** Name check, bounded read and image analysis; every problem with the object becomes a rejection. */
    private Analysis analyze(ObjectInfo object, Stages stages) throws IOException {
        if (object.key().contains(",")) {
            return new Analysis.Rejected(RejectReason.INVALID_NAME, "Lightly refuses file names containing ','");
        }
        byte[] bytes;
        try {
            bytes = input.read(object.key(), options.maxObjectBytes());
        } catch (ObjectTooLargeException e) {
            return new Analysis.Rejected(RejectReason.TOO_LARGE, e.getMessage());
        }
        stages.lap("read");
        try {
            analysisPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a CPU worker");
        }
        try {
            stages.lap("wait");
            Analysis analysis = analyzer.analyze(bytes, object.key(), thumbFormat(object.key()));
            stages.lap("analyze");
            return analysis;
        } finally {
            analysisPermits.release();
        }
    }

    /** The thumbnail format the template's extension asks for; null in metadata mode (no thumbnail). */
    private String thumbFormat(String fileName) {
        return options.uploadMode() == UploadMode.METADATA ? null : options.thumbSuffix().thumbExtension(fileName);
    }

    private IngestRecord record(String fileName, SourceRef source, Analysis.Accepted accepted, String sampleId) {
        Thumbnail thumbnail = accepted.thumbnail();
        IngestRecord.ThumbnailRef thumbRef = thumbnail == null
                ? null
                : new IngestRecord.ThumbnailRef(options.thumbSuffix().thumbKey(fileName), thumbnail.width(),
                thumbnail.height(), thumbnail.contentType());
        SampleCreateRequest request = new SampleCreateRequest(fileName, thumbRef == null ? null : thumbRef.key(),
                accepted.exif(), accepted.metaData());
        return new IngestRecord(fileName, source, accepted.format(), request, thumbRef, accepted.orientation(),
                sampleId, clock.instant());
    }

    private Rejection rejection(String fileName, SourceRef source, Analysis.Rejected rejected) {
        return new Rejection(fileName, source, rejected.reason(), rejected.detail(), clock.instant());
    }

    private SourceRef sourceOf(ObjectInfo object) {
        var uri = input.uri();
        return uri.isS3()
                ? new SourceRef(uri.bucket(), null, uri.prefix() + object.key(), object.eTag(), object.versionId())
                : new SourceRef(null, uri.dir().toString(), object.key(), object.eTag(), object.versionId());
    }

    /** True when a record or rejection already names this version of the object. */
    private boolean isCurrent(String fileName, SourceRef source) throws IOException {
        return OutputLayout.recordedSource(output, OutputLayout.recordKey(fileName)).filter(source::sameVersionAs).isPresent()
                || OutputLayout.recordedSource(output, OutputLayout.rejectionKey(fileName))
                .filter(source::sameVersionAs).isPresent();
    }

    private Optional<Instant> claimedAt(String key) throws IOException {
        try {
            return Optional.ofNullable(Json.MAPPER.readValue(output.read(key, MAX_CLAIM_BYTES), Claim.class).claimedAt());
        } catch (NoSuchObjectException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The claim object's content: who works on which version since when. */
    record Claim(String worker, SourceRef source, Instant claimedAt) {
    }

    /** Measures stage durations in the order they happen. */
    private static final class Stages {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void lap(String stage) {
            long now = System.nanoTime();
            millis.merge(stage, (now - last) / 1_000_000, Long::sum);
            last = now;
        }

        Outcome outcome(ObjectInfo object, Outcome.Status status, RejectReason reason, String detail, String sampleId) {
            return new Outcome(object.key(), status, reason, detail, sampleId, object.size(),
                    Collections.unmodifiableMap(millis));
        }
    }
}
