package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.pipeline.IngestPipeline;
import io.github.lightlys3ingest.pipeline.IngestRecord;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import io.github.lightlys3ingest.pipeline.Outcome;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.pipeline.SourceRef;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
            more.put(IngestSettings.LIGHTLY_DATASET_ID, datasetId);
        }
        if (requestTimeout != null) {
            more.put(IngestSettings.LIGHTLY_REQUEST_TIMEOUT, requestTimeout);
        }
        IngestSettings settings = image.settings(input, output, more, env);
        if (!settings.input().isS3() && !java.nio.file.Files.isDirectory(settings.input().dir())) {
            throw new IllegalArgumentException("--input " + settings.input() + " is not a folder");
        }
        Ingestion ingestion = Ingestion.create(settings, env, aws.get());
        return run(ingestion.pipeline(Instant.MAX), settings);
    }

    private int run(IngestPipeline pipeline, IngestSettings settings) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, System.console() != null);
        Summary summary = new Summary();
        AtomicReference<Exception> systemic = new AtomicReference<>();
        long started = System.nanoTime();
        try {
            inParallel(pipeline.input(), "", systemic, progress, info -> {
                if (OutputLayout.isLightlyOwned(info.key())) {
                    return;
                }
                progress.listed();
                task(info, systemic, summary, progress, () -> pipeline.process(info));
            });
            if (prune && systemic.get() == null) {
                prune(pipeline, settings, systemic, summary, progress);
            }
        } finally {
            progress.listingComplete();
            progress.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.print(spec.commandLine().getOut(), seconds, settings);
        if (systemic.get() != null) {
            throw systemic.get();
        }
        return summary.complete() ? 0 : Main.EXIT_INCOMPLETE;
    }

    /**
     * Lists {@code prefix} of {@code store} and hands each key to {@code each} on the listing thread, which
     * submits the work to a pool of {@code --threads}; returns when every submitted task ended. The listing
     * stops once a systemic failure is seen: the objects not attempted keep no claim.
     */
    private void inParallel(ObjectStore store, String prefix, AtomicReference<Exception> systemic, Progress progress,
                            ListingStep each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // Bounds the objects in flight so a million-object listing never sits in memory at once.
        Semaphore window = new Semaphore(threads * 4);
        try {
            store.list(prefix, null, info -> {
                if (systemic.get() != null) {
                    throw new StopListing();
                }
                window.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        each.accept(info);
                    } finally {
                        window.release();
                    }
                });
            });
        } catch (StopListing stopped) {
            // a systemic failure ended the run; it is reported by the caller
        } finally {
            pool.shutdown();
            pool.awaitTermination(365, TimeUnit.DAYS);
        }
    }

    /** Runs one object's work unless the run already stopped, and counts how it ended. */
    private void task(ObjectInfo info, AtomicReference<Exception> systemic, Summary summary, Progress progress,
                      Work work) {
        if (systemic.get() != null) {
            return;
        }
        try {
            Outcome outcome = work.run();
            summary.add(outcome);
            if (verbose) {
                spec.commandLine().getErr().println(OutcomeLog.line(outcome));
            }
        } catch (IOException | RuntimeException e) {
            if (Main.Failures.isSystemic(e)) {
                systemic.compareAndSet(null, e);
            }
            summary.failed(info, e);
        } finally {
            progress.done();
        }
    }

    /**
     * {@code --prune}: every record whose object is gone from the input is handled as a removal; a dry run
     * prints what would be done and changes nothing. Records written for another input are left alone, so a
     * mistyped {@code --input} prunes nothing.
     */
    private void prune(IngestPipeline pipeline, IngestSettings settings, AtomicReference<Exception> systemic,
                       Summary summary, Progress progress) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean dryRun = settings.datasetId().isEmpty();
        LongAdder gone = new LongAdder();
        inParallel(pipeline.output(), OutputLayout.RECORDS, systemic, progress, listed -> {
            String key = listed.key();
            if (!key.endsWith(".json")) {
                return;
            }
            String fileName = key.substring(OutputLayout.RECORDS.length(), key.length() - ".json".length());
            ObjectInfo object = new ObjectInfo(fileName, 0, null, null);
            task(object, systemic, summary, progress, () -> {
                Optional<IngestRecord> record = OutputLayout.record(pipeline.output(), fileName);
                if (record.isEmpty() || !isOfInput(record.get(), settings)
                        || pipeline.input().head(fileName).isPresent()) {
                    return null;
                }
                gone.increment();
                if (!dryRun) {
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

    /** One listed key's handling. */
    private interface ListingStep {
        void accept(ObjectInfo info);
    }

    /** One object's work: its outcome, or null when there was nothing to count. */
    private interface Work {
        Outcome run() throws IOException;
    }

    /** Unwinds a listing once the run has stopped. */
    private static final class StopListing extends RuntimeException {
        StopListing() {
            super(null, null, false, false);
        }
    }

    /** Counts per outcome, and the objects that failed with why. */
    private static final class Summary {
        private final Map<Outcome.Status, LongAdder> counts = new ConcurrentHashMap<>();
        private final Map<RejectReason, LongAdder> rejected = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final LongAdder bytes = new LongAdder();

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

        void failed(ObjectInfo info, Exception e) {
            failures.add(info.key() + ": " + e.getMessage());
        }

        boolean complete() {
            return failures.isEmpty();
        }

        long count(Outcome.Status status) {
            LongAdder n = counts.get(status);
            return n == null ? 0 : n.sum();
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
            out.printf("%.1f s, %.1f images/s, %.1f MB read%s%n", seconds, processed / Math.max(seconds, 1e-9),
                    bytes.sum() / 1e6, settings.datasetId().isEmpty() ? " (dry run: nothing sent to Lightly)" : "");
            failures.stream().limit(20).forEach(f -> out.println("failed: " + f));
            if (failures.size() > 20) {
                out.println("... and " + (failures.size() - 20) + " more failures");
            }
            out.flush();
        }
    }
}
