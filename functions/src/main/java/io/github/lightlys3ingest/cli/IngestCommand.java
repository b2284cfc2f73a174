package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.pipeline.IngestPipeline;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import io.github.lightlys3ingest.pipeline.Outcome;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.Map;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Ingests every object under the input root: thumbnails, records and rejections to the output root. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest every image under --input: thumbnail and record to --output, sample to Lightly.",
                "Without a dataset id it is a dry run that still writes everything to --output.",
                "Re-running skips objects whose record is current."})
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
        Map<String, String> more = datasetId == null ? Map.of() : Map.of(IngestSettings.LIGHTLY_DATASET_ID, datasetId);
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
            stop.finished();
            removeHook(hook);
        }
    }

    private int ingestAll(IngestPipeline pipeline, IngestSettings settings, Summary summary, ExecutorService pool,
                          Stop stop) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, System.console() != null);
        AtomicReference<Exception> systemic = new AtomicReference<>();
        // Bounds the objects in flight so a million-object listing never sits in memory at once.
        Semaphore window = new Semaphore(threads * 4);
        long started = System.nanoTime();
        try {
            pipeline.input().list("", null, info -> {
                if (stop.requested()) {
                    throw new Stop.Listing();
                }
                if (systemic.get() != null || OutputLayout.isLightlyOwned(info.key())) {
                    return;
                }
                progress.listed();
                summary.listed();
                window.acquireUninterruptibly();
                try {
                    pool.execute(() -> {
                        try {
                            Outcome outcome = pipeline.process(info);
                            summary.add(outcome);
                            if (verbose) {
                                err.println(OutcomeLog.line(outcome));
                            }
                        } catch (Throwable e) {
                            // Whatever ends a worker, OutOfMemoryError included, ends this object as failed.
                            if (stop.requested()) {
                                summary.interrupted(1);
                            } else {
                                if (e instanceof Exception exception && Main.Failures.isSystemic(exception)) {
                                    systemic.compareAndSet(null, exception);
                                }
                                summary.failed(info, e);
                            }
                        } finally {
                            window.release();
                            progress.done();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // stopped between the check and the hand-over: the object was not started
                    window.release();
                    summary.interrupted(1);
                    throw new Stop.Listing();
                }
            });
        } catch (Stop.Listing e) {
            summary.listingCut();
        } finally {
            progress.listingComplete();
            pool.shutdown();
            pool.awaitTermination(365, TimeUnit.DAYS);
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

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (the hook is what stopped the run)
        }
    }

    /**
     * Ctrl-C and SIGTERM: the JVM runs shutdown hooks, and this one stops the run cleanly. Objects not yet
     * started are dropped; running ones are interrupted, which makes them give their claims back, so a rerun
     * takes them at once instead of waiting out the lease. The hook waits until the summary, with the number
     * of objects that remain, is printed; the JVM then exits with the signal's non-zero status.
     */
    static final class Stop {
        /** Longest the hook waits for workers to give their claims back. */
        private static final long GRACE_SECONDS = 30;
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

        void print(PrintWriter out, double seconds, IngestSettings settings) {
            long ingested = count(Outcome.Status.INGESTED);
            long processed = ingested + count(Outcome.Status.REJECTED);
            Map<String, Long> reasons = new TreeMap<>();
            rejected.forEach((r, n) -> reasons.put(r.code(), n.sum()));
            out.printf("ingested %d, rejected %d %s, skipped %d (record current), failed %d%n", ingested,
                    count(Outcome.Status.REJECTED), reasons, count(Outcome.Status.SKIPPED), failures.size());
            String remaining = interrupted.sum() > 0 || listingCut ? " + " + interrupted.sum() + " interrupted" : "";
            out.printf("%d listed = %d ingested + %d rejected + %d skipped + %d failed%s%n", listed.sum(), ingested,
                    count(Outcome.Status.REJECTED), count(Outcome.Status.SKIPPED), failures.size(), remaining);
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
