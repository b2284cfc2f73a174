package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.backfill.Backfill;
import io.github.lightlys3ingest.backfill.BackfillProgress;
import io.github.lightlys3ingest.backfill.BackfillRequest;
import io.github.lightlys3ingest.backfill.BackfillResult;
import io.github.lightlys3ingest.backfill.BackfillSettings;
import io.github.lightlys3ingest.backfill.BackfillState;
import io.github.lightlys3ingest.backfill.SqsEnqueuer;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs the backfill locally in one go: the same code as the backfill function, without a time limit, so
 * without continuations.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Enqueue every object under the input prefix onto the ingestion queue as an S3 event, "
                + "so the deployed ingestion function ingests it.",
                "Objects whose record (or rejection) names their current eTag are skipped, so re-running is cheap.",
                "Progress goes to stderr as JSON lines, the summary to stdout."})
final class BackfillCommand implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "s3://bucket/prefix/",
            description = "Input datasource root, as configured for the ingestion function. Env: INPUT_URI.")
    String input;

    @Option(names = "--output", paramLabel = "DIR|s3://bucket/prefix/",
            description = "Output datasource root, where records live. Env: OUTPUT_URI.")
    String output;

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "URL of the ingestion queue. Env: INGEST_QUEUE_URL.")
    String queueUrl;

    @Option(names = "--prefix", paramLabel = "KEY-PREFIX",
            description = "Only keys starting with this full key prefix (inside the input prefix; default: all of it).")
    String prefix;

    @Option(names = "--start-after", paramLabel = "KEY",
            description = "Start listing after this full key (e.g. the resumeAfter of an earlier run).")
    String startAfter;

    @Option(names = "--max-objects", paramLabel = "N", description = "Stop after enqueuing N objects.")
    Long maxObjects;

    @Option(names = "--dry-run", description = "Count what would be enqueued; send nothing.")
    boolean dryRun;

    @Option(names = "--threads", defaultValue = "" + Backfill.DEFAULT_THREADS, paramLabel = "N",
            description = "Parallel record reads (default ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    BackfillCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, not " + threads);
        }
        Map<String, String> given = new HashMap<>();
        putIfSet(given, EnvironmentVariable.INPUT_URI.key(), input);
        putIfSet(given, EnvironmentVariable.OUTPUT_URI.key(), output);
        putIfSet(given, EnvironmentVariable.INGEST_QUEUE_URL.key(), queueUrl);
        BackfillSettings settings = BackfillSettings.parse(name -> given.containsKey(name) ? given.get(name)
                : env.apply(name));
        var in = settings.ingest().input();
        BackfillRequest request = new BackfillRequest(in.bucket(), prefix, startAfter, maxObjects, dryRun);
        PrintWriter err = spec.commandLine().getErr();
        AwsClients clients = aws.get();
        long started = System.nanoTime();
        BackfillResult result;
        try (S3Client s3 = clients.s3(); SqsClient sqs = clients.sqs();
             Backfill backfill = new Backfill(settings.ingest(), ObjectStores.open(in, () -> s3),
                     ObjectStores.open(settings.ingest().output(), () -> s3), new SqsEnqueuer(sqs, settings.queueUrl()),
                     clients.region().id(), threads, Backfill.DEFAULT_MARGIN, Clock.systemUTC(), line -> {
                         err.println(line);
                         err.flush();
                     })) {
            result = backfill.run(BackfillState.start(request), () -> Long.MAX_VALUE, next -> {
                throw new IllegalStateException("a local backfill has no time limit and never hands off");
            });
        }
        print(result, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private void print(BackfillResult result, double seconds) {
        PrintWriter out = spec.commandLine().getOut();
        BackfillProgress p = result.state().progress();
        boolean dry = Boolean.TRUE.equals(result.state().request().dryRun());
        out.printf("listed %d, %s %d, skipped %d (record current), ignored %d (.lightly/ or folder markers)%n",
                p.listed(), dry ? "would enqueue" : "enqueued", p.enqueued(), p.skippedCurrent(), p.skippedIgnored());
        out.printf("%d record reads, %d SendMessageBatch calls, %.1f s%s%n", p.recordReads(), p.sendBatches(), seconds,
                dry ? " (dry run: nothing sent)" : "");
        if (result.status() == BackfillResult.Status.LIMIT_REACHED) {
            out.printf("stopped at --max-objects; continue with --start-after '%s'%n", result.state().resumeAfter());
        }
        out.flush();
    }

    private static void putIfSet(Map<String, String> map, String name, String value) {
        if (value != null) {
            map.put(name, value);
        }
    }
}
