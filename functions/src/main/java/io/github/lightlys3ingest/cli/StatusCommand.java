package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.access.StackOutputs;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.StackOutput;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.operations.AlarmState;
import io.github.lightlys3ingest.operations.OutputCensus;
import io.github.lightlys3ingest.operations.ParallelReader;
import io.github.lightlys3ingest.operations.QueueDepth;
import io.github.lightlys3ingest.operations.StatusReport;
import io.github.lightlys3ingest.pipeline.IngestOptions;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.DatasourceUri;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One screen on how ingestion is going, from a listing of the output datasource and, with a stack, SQS and
 * CloudWatch.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"How ingestion is going: records, rejections, removal notes and open claims in the output"
                + " datasource; with --stack also the queue and dead-letter depths and the alarms' states.",
                "Fast on any size: one listing of <output>/.lightly/ingest/, no object is read unless --reasons"
                        + " asks for the rejections' reasons.",
                "Exit 0 when nothing needs attention; 1 for stale claims, dead letters or an alarm in ALARM;"
                        + " 2 for bad arguments; 3 when AWS could not be asked."})
final class StatusCommand implements Callable<Integer> {
    /** Open claims listed on the screen; {@code --json} lists all. */
    static final int CLAIMS_SHOWN = 10;

    @Option(names = "--output", paramLabel = "DIR|s3://bucket/prefix/",
            description = "Output (LIGHTLY) datasource root. With --stack, defaults to its OutputDatasourceUri.")
    String output;

    @Option(names = "--stack", paramLabel = "NAME",
            description = "Deployed stack: adds queue and dead-letter depths and alarm states.")
    String stack;

    @Option(names = "--reasons", description = "Read the rejections to count them by reason (one read each).")
    boolean reasons;

    @Option(names = "--claim-lease-seconds", paramLabel = "S",
            description = "Age after which an open claim is stale. Env: CLAIM_LEASE_SECONDS"
                    + "; default 900.")
    Long leaseSeconds;

    @Option(names = "--threads", defaultValue = "16", paramLabel = "N",
            description = "Reads in flight with --reasons (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print the status as JSON (every open claim, not only the oldest).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    StatusCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        Duration lease = lease();
        Optional<StackOutputs> outputs = Optional.empty();
        AwsClients clients = null;
        if (stack != null) {
            clients = aws.get();
            try (CloudFormationClient cloudFormation = clients.cloudFormation()) {
                outputs = Optional.of(StackOutputs.read(cloudFormation, stack.trim()));
            }
        }
        String out = output != null ? output : outputs.flatMap(o -> o.get(StackOutput.OUTPUT_URI)).orElseThrow(
                () -> new IllegalArgumentException("--output is required (or --stack with an OutputDatasourceUri)"));
        DatasourceUri uri = DatasourceUri.parse(out);
        if (!uri.isS3() && !java.nio.file.Files.isDirectory(uri.dir())) {
            throw new IllegalArgumentException("--output " + uri + " is not a folder");
        }
        AwsClients awsForS3 = clients;
        S3Client s3 = uri.isS3() ? (awsForS3 != null ? awsForS3 : aws.get()).s3() : null;
        try {
            ObjectStore store = ObjectStores.open(uri, () -> s3);
            OutputCensus census = OutputCensus.take(store, Instant.now(), lease);
            Map<String, Long> byReason = null;
            long read = 0;
            if (reasons) {
                byReason = new TreeMap<>();
                read = readReasons(store, byReason);
            }
            QueueDepth queue = null;
            QueueDepth deadLetters = null;
            List<AlarmState> alarms = List.of();
            if (outputs.isPresent()) {
                StackOutputs stackOutputs = outputs.get();
                try (SqsClient sqs = clients.sqs()) {
                    queue = QueueDepth.of(sqs, stackOutputs.require(StackOutput.QUEUE_URL));
                    deadLetters = QueueDepth.of(sqs, stackOutputs.require(StackOutput.DLQ_URL));
                }
                List<String> names = stackOutputs.get(StackOutput.ALARM_NAMES).stream()
                        .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(n -> !n.isEmpty())
                        .toList();
                if (!names.isEmpty()) {
                    try (CloudWatchClient cloudWatch = clients.cloudWatch()) {
                        alarms = AlarmState.of(cloudWatch, names);
                    }
                }
            }
            StatusReport report = new StatusReport(uri.toString(), census, byReason, read, queue, deadLetters, alarms);
            PrintWriter stdout = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> tree = Json.MAPPER.convertValue(report, Json.MAPPER.getTypeFactory()
                        .constructMapType(java.util.LinkedHashMap.class, String.class, Object.class));
                tree.put("attention", report.attention());
                stdout.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
            } else {
                stdout.print(screen(report));
            }
            stdout.flush();
            return report.attention().isEmpty() ? 0 : Main.EXIT_INCOMPLETE;
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }

    private Duration lease() {
        if (leaseSeconds != null) {
            if (leaseSeconds < 1) {
                throw new IllegalArgumentException("--claim-lease-seconds must be positive, not " + leaseSeconds);
            }
            return Duration.ofSeconds(leaseSeconds);
        }
        String fromEnv = env.apply(EnvironmentVariable.CLAIM_LEASE_SECONDS.key());
        if (fromEnv == null || fromEnv.isBlank()) {
            return IngestOptions.DEFAULT_CLAIM_LEASE;
        }
        try {
            long seconds = Long.parseLong(fromEnv.trim());
            if (seconds >= 1) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // falls through to the one-line message
        }
        throw new IllegalArgumentException(EnvironmentVariable.CLAIM_LEASE_SECONDS.key()
                + " must be a positive number of seconds,"
                + " not '" + fromEnv + "'");
    }

    private long readReasons(ObjectStore store, Map<String, Long> byReason) throws java.io.IOException {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, not " + threads);
        }
        List<String> keys = new ArrayList<>();
        store.list(OutputLayout.REJECTED, null, o -> keys.add(o.key()));
        return new ParallelReader(store, threads).readAll(keys,
                (key, node) -> byReason.merge(node.path("reason").asText("unreadable"), 1L, Long::sum));
    }

    /** The text screen. */
    static String screen(StatusReport report) {
        OutputCensus census = report.census();
        StringBuilder text = new StringBuilder();
        text.append("status  output ").append(report.output()).append('\n');
        text.append(String.format("  records     %,d%n", census.records()));
        text.append(String.format("  rejections  %,d", census.rejections()));
        if (report.rejectionReasons() == null) {
            text.append(census.rejections() == 0 ? "" : "  (--reasons reads them to count by reason)");
        } else {
            new TreeMap<>(report.rejectionReasons()).forEach((reason, n) ->
                    text.append(String.format("  %s %,d", reason, n)));
        }
        text.append('\n');
        text.append(String.format("  removals    %,d%n", census.removals()));
        text.append(String.format("  claims      %,d  open %,d, stale %,d (lease %d s)%n", census.claims(),
                census.open().size(), census.stale(), census.leaseSeconds()));
        census.open().stream().limit(CLAIMS_SHOWN).forEach(claim -> text.append(String.format(
                "    %-5s %s  claimed %s ago%n", claim.stale() ? "STALE" : "open", claim.fileName(),
                age(claim.ageSeconds()))));
        if (census.open().size() > CLAIMS_SHOWN) {
            text.append(String.format("    ... and %,d more (--json lists all)%n",
                    census.open().size() - CLAIMS_SHOWN));
        }
        if (report.queue() != null) {
            text.append(String.format("  queue       %,d waiting, %,d in flight, %,d delayed%n",
                    report.queue().visible(), report.queue().inFlight(), report.queue().delayed()));
            text.append(String.format("  dead-letter %,d%n", report.deadLetters().total()));
        }
        for (AlarmState alarm : report.alarms()) {
            text.append(String.format("  alarm       %-17s %s%n", alarm.state(), alarm.name()));
        }
        text.append(String.format("  (listed %,d objects, read %,d)%n", census.listed(), report.objectsRead()));
        List<String> attention = report.attention();
        text.append(attention.isEmpty() ? "ok\n" : "attention: " + String.join("; ", attention) + "\n");
        return text.toString();
    }

    private static String age(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " d";
    }
}
