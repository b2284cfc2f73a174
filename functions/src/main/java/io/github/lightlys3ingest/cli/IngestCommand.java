package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.pipeline.FailureScope;
import io.github.lightlys3ingest.pipeline.IngestPipeline;
import io.github.lightlys3ingest.pipeline.IngestRecord;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.Outcome;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.pipeline.SourceRef;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Ingests every object under the input root: thumbnails, records and rejections to the output root. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest every image under --input: thumbnail and record to --output, sample to Lightly.",
                "Without a dataset id it is a dry run that still writes everything to --output.",
                "Re-running skips objects whose record is current for the dataset; an overwritten image updates",
                "its sample. --prune also handles records whose image is gone (a dry run only lists them).",
                "Exit 3 when Lightly is down: 401/403, or several objects in a row failing after retries."})
final class IngestCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "DIR|s3://bucket/prefix/",
            description = "Input datasource root (folder or S3 prefix).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR|s3://bucket/prefix/",
            description = "Output (LIGHTLY) datasource root; must not contain the input nor lie inside it.")
    String output;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Objects processed in parallel (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--lightly-dataset-id", paramLabel = "ID",
            description = "Lightly dataset to create samples in (token from LIGHTLY_TOKEN). Env: LIGHTLY_DATASET_ID.")
    String datasetId;

    @Option(names = "--lightly-request-timeout", paramLabel = "SECONDS",
            description = "How long one Lightly call may take (default 30). Env: LIGHTLY_REQUEST_TIMEOUT.")
    String requestTimeout;

    @Option(names = "--prune", description = {"After ingesting, handle records whose object is gone from --input as a "
            + "removal: delete thumbnail and record, mark the sample removed in Lightly. Without a dataset id, only "
            + "list what it would do."})
    boolean prune;

    @Option(names = "--verbose", description = "Log one JSON line per object on stderr.")
    boolean verbose;

    @CommandLine.Mixin
    ImageOptions image = new ImageOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    IngestCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, not " + threads);
        }
        Map<String, String> more = new HashMap<>();
        if (datasetId != null) {
            more.put(EnvironmentVariable.LIGHTLY_DATASET_ID.key(), datasetId);
        }
        if (requestTimeout != null) {
            more.put(EnvironmentVariable.LIGHTLY_REQUEST_TIMEOUT.key(), requestTimeout);
        }
        IngestSettings settings = image.settings(input, output, more, env);
        if (!settings.input().isS3() && !java.nio.file.Files.isDirectory(settings.input().dir())) {
            throw new IllegalArgumentException("--input " + settings.input() + " is not a folder");
        }
        if (!settings.output().isS3()) {
            // A link would send thumbnails, records and claims wherever it points.
            Path lightly = settings.output().dir().resolve(OutputLayout.LIGHTLY_FOLDER);
            if (Files.isSymbolicLink(lightly)) {
                throw new IllegalArgumentException("--output " + settings.output() + ": " + lightly
                        + " is a symbolic link (to " + Files.readSymbolicLink(lightly) + "); it must be a real folder");
            }
        }
        Ingestion ingestion = Ingestion.create(settings, env, aws.get());
        return run(ingestion.pipeline(Instant.MAX), settings);
    }

    private int run(IngestPipeline pipeline, IngestSettings settings) throws Exception {
        Summary summary = new Summary();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Stop stop = new Stop(pool, summary::interrupted);
        Thread hook = new Thread(stop::onSignal, "ingest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return ingestAll(pipeline, settings, summary, pool, stop);
        } finally {
            pool.shutdown();
            stop.finished();
            removeHook(hook);
        }
    }

    private int ingestAll(IngestPipeline pipeline, IngestSettings settings, Summary summary, ExecutorService pool,
                          Stop stop) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, System.console() != null);
        AtomicReference<Exception> systemic = new AtomicReference<>();
        long started = System.nanoTime();
        try {
            inParallel(pool, stop, summary, pipeline.input(), "", systemic, info -> {
                if (!OutputLayout.isInputName(info.key())) {
                    return false;
                }
                progress.listed();
                summary.listed();
                return true;
            }, info -> task(info, true, systemic, stop, summary, progress, () -> pipeline.process(info)));
            if (prune && systemic.get() == null && !stop.requested()) {
                prune(pipeline, settings, pool, stop, systemic, summary, progress);
            }
        } finally {
            progress.listingComplete();
            progress.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.print(spec.commandLine().getOut(), seconds, settings);
        if (stop.requested()) {
            return Main.EXIT_INCOMPLETE;
        }
        if (systemic.get() != null) {
            throw systemic.get();
        }
        return summary.complete() ? 0 : Main.EXIT_INCOMPLETE;
    }

    /**
     * Lists {@code prefix} of {@code store}; each key {@code take} accepts (on the listing thread) is handed to
     * {@code each} on the worker pool. Returns when every task handed over has ended. The listing stops once a
     * systemic failure or a stop is seen: the objects not attempted keep no claim.
     */
    private void inParallel(ExecutorService pool, Stop stop, Summary summary, ObjectStore store, String prefix,
                            AtomicReference<Exception> systemic, Predicate<ObjectInfo> take,
                            Consumer<ObjectInfo> each) throws Exception {
        // Bounds the objects in flight so a million-object listing never sits in memory at once.
        int window = threads * 4;
        Semaphore inFlight = new Semaphore(window);
        try {
            store.list(prefix, null, info -> {
                if (stop.requested() || systemic.get() != null) {
                    throw new Stop.Listing();
                }
                if (!take.test(info)) {
                    return;
                }
                inFlight.acquireUninterruptibly();
                try {
                    pool.execute(() -> {
                        try {
                            each.accept(info);
                        } finally {
                            inFlight.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // stopped between the check and the hand-over: the object was not started
                    inFlight.release();
                    summary.interrupted(1);
                    throw new Stop.Listing();
                }
            });
        } catch (Stop.Listing e) {
            summary.listingCut();
        } finally {
            // All permits back means every task handed over has ended; a stop drops the queued ones instead.
            while (!inFlight.tryAcquire(window, 100, TimeUnit.MILLISECONDS)) {
                if (stop.requested()) {
                    pool.awaitTermination(Stop.GRACE_SECONDS, TimeUnit.SECONDS);
                    break;
                }
            }
        }
    }

    /**
     * Runs one object's work unless the run already stopped, and counts how it ended. Whatever ends a worker,
     * OutOfMemoryError included, ends the object as failed.
     *
     * @param listed whether the object counts among the listed ones (prune's records do not)
     */
    private void task(ObjectInfo info, boolean listed, AtomicReference<Exception> systemic, Stop stop,
                      Summary summary, Progress progress, Work work) {
        try {
            if (systemic.get() != null || stop.requested()) {
                if (listed) {
                    summary.interrupted(1);
                }
                return;
            }
            Outcome outcome = work.run();
            summary.add(outcome);
            if (verbose && outcome != null) {
                spec.commandLine().getErr().println(OutcomeLog.line(outcome));
            }
        } catch (Throwable e) {
            if (stop.requested()) {
                summary.interrupted(1);
            } else {
                if (e instanceof Exception exception && FailureScope.of(exception) == FailureScope.RUN) {
                    systemic.compareAndSet(null, exception);
                }
                summary.failed(info, e);
            }
        } finally {
            progress.done();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (the hook is what stopped the run)
        }
    }

    /**
     * {@code --prune}: every record whose object is gone from the input is handled as a removal; a dry run
     * prints what would be done and changes nothing. Records written for another input are left alone, so a
     * mistyped {@code --input} prunes nothing.
     */
    private void prune(IngestPipeline pipeline, IngestSettings settings, ExecutorService pool, Stop stop,
                       AtomicReference<Exception> systemic, Summary summary, Progress progress) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean dryRun = settings.datasetId().isEmpty();
        LongAdder gone = new LongAdder();
        inParallel(pool, stop, summary, pipeline.output(), OutputLayout.RECORDS, systemic,
                listed -> listed.key().endsWith(".json"), listed -> {
            String key = listed.key();
            String fileName = key.substring(OutputLayout.RECORDS.length(), key.length() - ".json".length());
            ObjectInfo object = new ObjectInfo(fileName, 0, null, null);
            task(object, false, systemic, stop, summary, progress, () -> {
                Optional<IngestRecord> record = OutputLayout.record(pipeline.output(), fileName);
                if (record.isEmpty() || !isOfInput(record.get(), settings)
                        || pipeline.input().head(fileName).isPresent()) {
                    return null;
                }
                gone.increment();
                if (!dryRun) {
                    summary.listed();
                    return pipeline.remove(object);
                }
                synchronized (out) {
                    out.println("would remove " + fileName + ": " + wouldRemove(record.get()));
                }
                return null;
            });
        });
        if (dryRun) {
            out.printf("prune (dry run): %d records whose object is gone; nothing removed%n", gone.sum());
        }
    }

    private static String wouldRemove(IngestRecord record) {
        String what = record.thumbnail() == null ? "record" : "record and thumbnail " + record.thumbnail().key();
        if (record.lightlySampleId() == null) {
            return what + " (dry-run record: nothing in Lightly)";
        }
        return what + "; sample " + record.lightlySampleId() + " would be marked removed (run with "
                + "--lightly-dataset-id " + record.lightlyDatasetId() + ")";
    }

    /** True when the record was written for an object of this run's input root. */
    private static boolean isOfInput(IngestRecord record, IngestSettings settings) {
        SourceRef source = record.source();
        var in = settings.input();
        if (source == null) {
            return false;
        }
        return in.isS3()
                ? in.bucket().equals(source.bucket()) && (in.prefix() + record.fileName()).equals(source.key())
                : source.dir() != null && in.dir().toString().equals(source.dir())
                && record.fileName().equals(source.key());
    }

    /** One object's work: its outcome, or null when there was nothing to count. */
    private interface Work {
        Outcome run() throws IOException;
    }

    /**
     * Ctrl-C and SIGTERM: the JVM runs shutdown hooks, and this one stops the run cleanly. Objects not yet
     * started are dropped; running ones are interrupted, which makes them give their claims back, so a rerun
     * takes them at once instead of waiting out the lease. The hook waits until the summary, with the number
     * of objects that remain, is printed; the JVM then exits with the signal's non-zero status.
     */
    static final class Stop {
        /** Longest the hook waits for workers to give their claims back. */
        static final long GRACE_SECONDS = 30;
        private final ExecutorService pool;
        private final LongConsumer dropped;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final CountDownLatch finished = new CountDownLatch(1);

        /** @param dropped told how many queued objects were dropped before they started */
        Stop(ExecutorService pool, LongConsumer dropped) {
            this.pool = pool;
            this.dropped = dropped;
        }

        boolean requested() {
            return requested.get();
        }

        /** Called by the shutdown hook (tests call it directly: a signal would end their JVM). */
        void onSignal() {
            requested.set(true);
            dropped.accept(pool.shutdownNow().size());
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void finished() {
            finished.countDown();
        }

        /** Thrown from the listing callback to end the listing early. */
        static final class Listing extends RuntimeException {
            Listing() {
                super("listing stopped", null, false, false);
            }
        }
    }

    /**
     * Counts per outcome, and the objects that failed with why. Every listed object is counted exactly once:
     * listed = ingested + rejected + skipped + failed + interrupted (those a stop cut short).
     */
    private static final class Summary {
        private final Map<Outcome.Status, LongAdder> counts = new ConcurrentHashMap<>();
        private final Map<RejectReason, LongAdder> rejected = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final LongAdder bytes = new LongAdder();
        private final LongAdder listed = new LongAdder();
        private final LongAdder interrupted = new LongAdder();
        private volatile boolean listingCut;

        void listed() {
            listed.increment();
        }

        void add(Outcome outcome) {
            if (outcome == null) {
                return;
            }
            counts.computeIfAbsent(outcome.status(), s -> new LongAdder()).increment();
            if (outcome.reason() != null) {
                rejected.computeIfAbsent(outcome.reason(), r -> new LongAdder()).increment();
            }
            if (outcome.status() == Outcome.Status.BUSY) {
                failures.add(outcome.fileName() + ": " + outcome.detail());
            }
            bytes.add(outcome.bytes());
        }

        void failed(ObjectInfo info, Throwable e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e instanceof Error ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage();
            failures.add(info.key() + ": " + why);
        }

        void interrupted(long objects) {
            interrupted.add(objects);
        }

        void listingCut() {
            listingCut = true;
        }

        boolean complete() {
            return failures.isEmpty();
        }

        long count(Outcome.Status status) {
            LongAdder n = counts.get(status);
            return n == null ? 0 : n.sum();
        }

        /** The equation's terms for stale events and removals, shown only when there were any. */
        private String rareTerms() {
            StringBuilder text = new StringBuilder();
            if (count(Outcome.Status.SUPERSEDED) > 0) {
                text.append(count(Outcome.Status.SUPERSEDED)).append(" superseded + ");
            }
            if (count(Outcome.Status.REMOVED) > 0) {
                text.append(count(Outcome.Status.REMOVED)).append(" removed + ");
            }
            return text.toString();
        }

        /** Counts of stale events and removals, shown only when there were any. */
        private String rare() {
            StringBuilder text = new StringBuilder();
            if (count(Outcome.Status.SUPERSEDED) > 0) {
                text.append("superseded ").append(count(Outcome.Status.SUPERSEDED)).append(" (stale), ");
            }
            if (count(Outcome.Status.REMOVED) > 0) {
                text.append("removed ").append(count(Outcome.Status.REMOVED)).append(", ");
            }
            return text.toString();
        }

        void print(PrintWriter out, double seconds, IngestSettings settings) {
            long ingested = count(Outcome.Status.INGESTED);
            long processed = ingested + count(Outcome.Status.REJECTED);
            Map<String, Long> reasons = new TreeMap<>();
            rejected.forEach((r, n) -> reasons.put(r.code(), n.sum()));
            out.printf("ingested %d, rejected %d %s, skipped %d (record current, or a sidecar), %sfailed %d%n",
                    ingested,
                    count(Outcome.Status.REJECTED), reasons, count(Outcome.Status.SKIPPED), rare(), failures.size());
            String remaining = interrupted.sum() > 0 || listingCut ? " + " + interrupted.sum() + " interrupted" : "";
            out.printf("%d listed = %d ingested + %d rejected + %d skipped + %s%d failed%s%n", listed.sum(), ingested,
                    count(Outcome.Status.REJECTED), count(Outcome.Status.SKIPPED), rareTerms(), failures.size(),
                    remaining);
            out.printf("%.1f s, %.1f images/s, %.1f MB read%s%n", seconds, processed / Math.max(seconds, 1e-9),
                    bytes.sum() / 1e6, settings.datasetId().isEmpty() ? " (dry run: nothing sent to Lightly)" : "");
            failures.stream().limit(20).forEach(f -> out.println("failed: " + f));
            if (failures.size() > 20) {
                out.println("... and " + (failures.size() - 20) + " more failures");
            }
            if (!remaining.isEmpty()) {
                out.printf("stopped: %d listed objects did not end (their claims were released)%s; run the same "
                        + "command again to finish%n", interrupted.sum(),
                        listingCut ? " and objects not yet listed remain" : "");
            }
            out.flush();
        }
    }
}
