package io.github.lightlys3ingest.backfill;

import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Enqueues every object under a prefix of the input datasource onto the ingestion queue as an S3 event
 * message ({@link S3EventBody}), skipping objects whose record or rejection names their current eTag, so
 * backfilled objects take exactly the path of live uploads.
 *
 * <p>The listing is handled in chunks of {@value #CHUNK} keys in key order: the chunk's records are read in
 * parallel, the objects to enqueue are sent in batches of {@value Enqueuer#MAX_BATCH}, and the resume point
 * advances to the last key of a batch only once that batch was sent (to the chunk's last key once the whole
 * chunk is done). When less than the margin of time is left after a chunk, the state goes to a
 * {@link Continuation}, which lists after the resume point: every key is enqueued at most once and none is
 * skipped. A continuation first claims its place in the run with a conditional write to the output
 * datasource ({@code .lightly/ingest/backfill/<runId>/<n>.json}), so a duplicate delivery of the same
 * asynchronous invocation does nothing; an invocation that fails releases its claim so a retry can proceed.
 *
 * <p>Progress goes to the log as JSON lines ({@code "event":"backfill"}): at the start, every
 * {@value #PROGRESS_EVERY} listed keys, at a hand-off, at the end and on failure. Safe to reuse across
 * runs, one run at a time.
 */
public final class Backfill implements AutoCloseable {
    /** Time kept back for the hand-off: a chunk takes seconds, the hand-off one request. */
    public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(60);
    /** Parallel record reads: enough to hide S3 latency, few enough for a small function. */
    public static final int DEFAULT_THREADS = 16;
    /** Keys handled between two time checks. */
    static final int CHUNK = 100;
    /** Listed keys between two progress lines. */
    static final int PROGRESS_EVERY = 1000;
    /** Where continuations claim their place, under the output root. */
    public static final String CLAIMS = OutputLayout.LIGHTLY_FOLDER + "ingest/backfill/";
    private static final String JSON = "application/json";

    private final IngestSettings settings;
    private final ObjectStore input;
    private final ObjectStore output;
    private final Enqueuer queue;
    private final String region;
    private final Duration margin;
    private final Clock clock;
    private final Consumer<String> log;
    private final ExecutorService checks;

    /**
     * @param settings the ingester's settings: which keys are ingestable, where the input root is
     * @param input    the input datasource ({@code settings.input()}); must be S3
     * @param output   the output datasource, where records, rejections and continuation claims are
     * @param queue    where messages go
     * @param region   the input bucket's region, written into each event
     * @param threads  parallel record reads
     * @param margin   hand off when less time than this is left
     * @param log      receives one JSON line per progress report
     */
    public Backfill(IngestSettings settings, ObjectStore input, ObjectStore output, Enqueuer queue, String region,
                    int threads, Duration margin, Clock clock, Consumer<String> log) {
        if (!input.uri().isS3()) {
            throw new IllegalArgumentException("a backfill needs an S3 input, not " + input.uri());
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        this.settings = settings;
        this.input = input;
        this.output = output;
        this.queue = queue;
        this.region = region;
        this.margin = margin;
        this.clock = clock;
        this.log = log;
        this.checks = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "backfill-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Goes on with a run from {@code state} until the listing ends, {@code maxObjects} objects were enqueued,
     * or less than the margin of time is left, in which case the rest is handed to {@code continuation}.
     *
     * @param remainingMillis time left in this invocation ({@code Long.MAX_VALUE} for no limit)
     * @throws IllegalArgumentException when the request does not fit the configuration
     * @throws IOException when S3 or the queue failed; the log line names the resume point reached
     */
    public BackfillResult run(BackfillState state, LongSupplier remainingMillis, Continuation continuation)
            throws IOException {
        return run(state, remainingMillis, continuation, Map.of());
    }

    /**
     * {@link #run(BackfillState, LongSupplier, Continuation)}, with fields every log line of this run carries
     * first (the Lambda request id).
     */
    public BackfillResult run(BackfillState state, LongSupplier remainingMillis, Continuation continuation,
                              Map<String, Object> logContext) throws IOException {
        BackfillRequest request = state.request().validated(settings.input());
        if (state.resumeAfter() != null && !state.resumeAfter().startsWith(request.prefix())) {
            throw new IllegalArgumentException("resumeAfter '" + state.resumeAfter() + "' is not under prefix '"
                    + request.prefix() + "'");
        }
        Run run = new Run(new BackfillState(state.runId(), request, state.resumeAfter(), state.progress()),
                remainingMillis, logContext);
        Optional<String> claim = Optional.empty();
        if (state.progress().continuations() > 0) {
            String key = CLAIMS + state.runId() + "/" + state.progress().continuations() + ".json";
            byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("runId", state.runId(), "resumeAfter",
                    String.valueOf(state.resumeAfter()), "claimedAt", clock.instant().toString()));
            if (!output.putIfAbsent(key, body, JSON)) {
                run.report("INFO", "duplicate", Map.of("detail", "continuation already claimed: " + key));
                return new BackfillResult(BackfillResult.Status.DUPLICATE, run.state());
            }
            claim = Optional.of(key);
        }
        run.report("INFO", state.progress().continuations() > 0 ? "resumed" : "started", Map.of());
        try {
            BackfillResult result = run.execute();
            if (result.status() == BackfillResult.Status.HANDED_OFF) {
                continuation.handOff(result.state());
                run.report("INFO", "continued", Map.of());
            } else {
                run.report("INFO", "finished",
                        Map.of("status", result.status().name().toLowerCase(java.util.Locale.ROOT)));
            }
            return result;
        } catch (IOException | RuntimeException e) {
            run.report("ERROR", "failed", Map.of("error", e.getClass().getSimpleName(),
                    "detail", String.valueOf(e.getMessage())));
            if (claim.isPresent()) {
                try {
                    output.delete(claim.get());
                } catch (IOException release) {
                    e.addSuppressed(release);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    /** What to do with one listed key. */
    private enum Kind { IGNORED, CURRENT, ENQUEUE }

    /** Unwinds the listing once a stop condition is met. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** One invocation's progress through the listing. Counters cover keys up to {@link #resumeAfter} only. */
    private final class Run {
        private final String runId;
        private final BackfillRequest request;
        private final int continuations;
        private final LongSupplier remainingMillis;
        private final Map<String, Object> logContext;
        private final long startNanos = System.nanoTime();
        private final boolean dryRun;
        private final List<ObjectInfo> chunk = new ArrayList<>(CHUNK);
        private final List<ObjectInfo> batch = new ArrayList<>(Enqueuer.MAX_BATCH);
        private final AtomicLong recordReads;
        private String resumeAfter;
        private long listed;
        private long enqueued;
        private long skippedCurrent;
        private long skippedIgnored;
        private long sendBatches;
        // Keys handled since the resume point, not yet committed.
        private long pendingListed;
        private long pendingCurrent;
        private long pendingIgnored;
        private BackfillResult.Status stop;

        Run(BackfillState state, LongSupplier remainingMillis, Map<String, Object> logContext) {
            this.logContext = Map.copyOf(logContext);
            BackfillProgress p = state.progress();
            this.runId = state.runId();
            this.request = state.request();
            this.continuations = p.continuations();
            this.remainingMillis = remainingMillis;
            this.dryRun = Boolean.TRUE.equals(request.dryRun());
            this.resumeAfter = state.resumeAfter();
            this.listed = p.listed();
            this.enqueued = p.enqueued();
            this.skippedCurrent = p.skippedCurrent();
            this.skippedIgnored = p.skippedIgnored();
            this.recordReads = new AtomicLong(p.recordReads());
            this.sendBatches = p.sendBatches();
        }

        BackfillResult execute() throws IOException {
            String root = input.uri().prefix();
            String relativePrefix = request.prefix().substring(root.length());
            String relativeStart = resumeAfter == null ? null : resumeAfter.substring(root.length());
            try {
                input.list(relativePrefix, relativeStart, info -> {
                    chunk.add(info);
                    if (chunk.size() == CHUNK) {
                        handleChunk();
                        if (stop == null && remainingMillis.getAsLong() < margin.toMillis()) {
                            stop = BackfillResult.Status.HANDED_OFF;
                        }
                        if (stop != null) {
                            throw new Stop();
                        }
                    }
                });
                if (!chunk.isEmpty()) {
                    handleChunk();
                }
            } catch (Stop stopped) {
                // the listing was left early on purpose; stop says why
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            BackfillResult.Status status = stop == null ? BackfillResult.Status.COMPLETE : stop;
            BackfillState after = state();
            if (status == BackfillResult.Status.HANDED_OFF) {
                after = new BackfillState(runId, request, resumeAfter, after.progress().nextContinuation());
            }
            return new BackfillResult(status, after);
        }

        /** Classifies the chunk in parallel, then enqueues and commits in key order. */
        private void handleChunk() {
            List<Future<Kind>> kinds = new ArrayList<>(chunk.size());
            for (ObjectInfo info : chunk) {
                kinds.add(checks.submit(() -> classify(info)));
            }
            try {
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectInfo info = chunk.get(i);
                    pendingListed++;
                    switch (await(kinds.get(i))) {
                        case IGNORED -> pendingIgnored++;
                        case CURRENT -> pendingCurrent++;
                        case ENQUEUE -> {
                            batch.add(info);
                            boolean limit = request.maxObjects() != null
                                    && enqueued + batch.size() >= request.maxObjects();
                            if (batch.size() == Enqueuer.MAX_BATCH || limit) {
                                commit(fullKey(info));
                            }
                            if (limit) {
                                stop = BackfillResult.Status.LIMIT_REACHED;
                                return;
                            }
                        }
                    }
                }
                commit(fullKey(chunk.get(chunk.size() - 1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                kinds.forEach(k -> k.cancel(true));
                chunk.clear();
            }
        }

        /** Sends the open batch, then moves the resume point to {@code key}, which covers everything pending. */
        private void commit(String key) throws IOException {
            if (!batch.isEmpty()) {
                if (!dryRun) {
                    List<String> bodies = new ArrayList<>(batch.size());
                    for (ObjectInfo info : batch) {
                        bodies.add(S3EventBody.of(region, request.bucket(), fullKey(info), info.size(), info.eTag(),
                                clock.instant()));
                    }
                    queue.send(bodies);
                    sendBatches++;
                }
                enqueued += batch.size();
                batch.clear();
            }
            long before = listed / PROGRESS_EVERY;
            listed += pendingListed;
            skippedCurrent += pendingCurrent;
            skippedIgnored += pendingIgnored;
            pendingListed = 0;
            pendingCurrent = 0;
            pendingIgnored = 0;
            resumeAfter = key;
            if (listed / PROGRESS_EVERY > before) {
                report("INFO", "progress", Map.of());
            }
        }

        private Kind classify(ObjectInfo info) throws IOException {
            Optional<String> fileName = settings.inputFileName(request.bucket(), fullKey(info));
            if (fileName.isEmpty()) {
                return Kind.IGNORED;
            }
            // A name the output cannot hold has no record, and its rejection may live under its hash; a record
            // counts only when its sample is in the configured dataset (Recorded#belongsTo).
            String recordKey = OutputLayout.recordKey(fileName.get());
            boolean current = (output.cannotHold(recordKey).isEmpty() && names(recordKey, info, settings.datasetId()))
                    || names(OutputLayout.rejectionKeyIn(output, fileName.get()), info, Optional.empty());
            return current ? Kind.CURRENT : Kind.ENQUEUE;
        }

        /**
         * True when the record or rejection under {@code key} names this object's key and eTag and belongs to
         * {@code datasetId}. The version id is not compared: listings do not report it, and an equal eTag means
         * equal content.
         */
        private boolean names(String key, ObjectInfo info, Optional<String> datasetId) throws IOException {
            recordReads.incrementAndGet();
            return OutputLayout.recorded(output, key)
                    .filter(r -> r.source().names(fullKey(info), info.eTag()) && r.belongsTo(datasetId)).isPresent();
        }

        private String fullKey(ObjectInfo info) {
            return input.uri().prefix() + info.key();
        }

        BackfillState state() {
            return new BackfillState(runId, request, resumeAfter, new BackfillProgress(listed, enqueued,
                    skippedCurrent, skippedIgnored, recordReads.get(), sendBatches, continuations));
        }

        void report(String level, String phase, Map<String, Object> extra) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("level", level);
            line.putAll(logContext);
            line.put("event", "backfill");
            line.put("phase", phase);
            line.put("runId", runId);
            line.put("continuation", continuations);
            line.put("bucket", request.bucket());
            line.put("prefix", request.prefix());
            line.put("dryRun", dryRun);
            if (request.maxObjects() != null) {
                line.put("maxObjects", request.maxObjects());
            }
            line.put("resumeAfter", resumeAfter);
            line.put("listed", listed);
            line.put("enqueued", enqueued);
            line.put("skippedCurrent", skippedCurrent);
            line.put("skippedIgnored", skippedIgnored);
            line.put("recordReads", recordReads.get());
            line.put("sendBatches", sendBatches);
            line.put("invocationMs", (System.nanoTime() - startNanos) / 1_000_000);
            line.putAll(extra);
            log.accept(OutcomeLog.write(line));
        }
    }

    private static Kind await(Future<Kind> kind) throws IOException {
        try {
            return kind.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking records", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
