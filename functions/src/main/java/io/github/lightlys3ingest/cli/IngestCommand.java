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
import java.time.Instant;
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
        Ingestion ingestion = Ingestion.create(settings, env, aws.get());
        return run(ingestion.pipeline(Instant.MAX), settings);
    }

    private int run(IngestPipeline pipeline, IngestSettings settings) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, System.console() != null);
        Summary summary = new Summary();
        AtomicReference<Exception> systemic = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // Bounds the objects in flight so a million-object listing never sits in memory at once.
        Semaphore window = new Semaphore(threads * 4);
        long started = System.nanoTime();
        try {
            pipeline.input().list("", null, info -> {
                if (systemic.get() != null || OutputLayout.isLightlyOwned(info.key())) {
                    return;
                }
                progress.listed();
                window.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        Outcome outcome = pipeline.process(info);
                        summary.add(outcome);
                        if (verbose) {
                            err.println(OutcomeLog.line(outcome));
                        }
                    } catch (IOException | RuntimeException e) {
                        if (Main.Failures.isSystemic(e)) {
                            systemic.compareAndSet(null, e);
                        }
                        summary.failed(info, e);
                    } finally {
                        window.release();
                        progress.done();
                    }
                });
            });
        } finally {
            progress.listingComplete();
            pool.shutdown();
            pool.awaitTermination(365, TimeUnit.DAYS);
            progress.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.print(spec.commandLine().getOut(), seconds, settings);
        if (systemic.get() != null) {
            throw systemic.get();
        }
        return summary.complete() ? 0 : Main.EXIT_INCOMPLETE;
    }

    /** Counts per outcome, and the objects that failed with why. */
    private static final class Summary {
        private final Map<Outcome.Status, LongAdder> counts = new ConcurrentHashMap<>();
        private final Map<RejectReason, LongAdder> rejected = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final LongAdder bytes = new LongAdder();

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

        void print(PrintWriter out, double seconds, IngestSettings settings) {
            long ingested = count(Outcome.Status.INGESTED);
            long processed = ingested + count(Outcome.Status.REJECTED);
            Map<String, Long> reasons = new TreeMap<>();
            rejected.forEach((r, n) -> reasons.put(r.code(), n.sum()));
            out.printf("ingested %d, rejected %d %s, skipped %d (record current), failed %d%n", ingested,
                    count(Outcome.Status.REJECTED), reasons, count(Outcome.Status.SKIPPED), failures.size());
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
