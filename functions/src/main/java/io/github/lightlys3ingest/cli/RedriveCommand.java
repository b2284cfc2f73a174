package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.access.StackOutputs;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.StackOutput;
import io.github.lightlys3ingest.operations.DeadLetter;
import io.github.lightlys3ingest.operations.DeadLetterQueue;
import io.github.lightlys3ingest.operations.QueueDepth;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Shows what is in the dead-letter queue, then moves it back to the ingestion queue. */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = {"Show the messages in the stack's dead-letter queue (the S3 objects they name and how often"
                + " they were received; they stay in the queue), then move them all back to the ingestion queue"
                + " with SQS StartMessageMoveTask.",
                "Asks first (y/N) on a terminal; without one, --yes is required.",
                "Exit 0 when the move started (or there was nothing to move, or the answer was no);"
                        + " 2 for bad arguments or no --yes without a terminal; 3 when AWS refused."})
final class RedriveCommand implements Callable<Integer> {

    @Option(names = "--stack", required = true, paramLabel = "NAME",
            description = "Deployed stack: its IngestQueueUrl and DeadLetterQueueUrl outputs name the queues.")
    String stack;

    @Option(names = "--yes", description = "Move without asking.")
    boolean yes;

    @Option(names = "--show", defaultValue = "100", paramLabel = "N",
            description = "Messages shown at most (default ${DEFAULT-VALUE}); all are moved.")
    int show;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Supplier<AwsClients> aws;

    RedriveCommand(Surroundings surroundings) {
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        if (show < 0 || show > 10_000) {
            throw new IllegalArgumentException("--show must be between 0 and 10000, not " + show);
        }
        AwsClients clients = aws.get();
        StackOutputs outputs;
        try (CloudFormationClient cloudFormation = clients.cloudFormation()) {
            outputs = StackOutputs.read(cloudFormation, stack.trim());
        }
        String queueUrl = outputs.require(StackOutput.QUEUE_URL);
        String deadLetterUrl = outputs.require(StackOutput.DLQ_URL);
        PrintWriter out = spec.commandLine().getOut();
        try (SqsClient sqs = clients.sqs()) {
            DeadLetterQueue deadLetters = new DeadLetterQueue(sqs, deadLetterUrl);
            long depth = QueueDepth.of(sqs, deadLetterUrl).total();
            List<DeadLetter> shown = deadLetters.peek(show);
            out.println("dead-letter queue " + deadLetterUrl + ": " + depth + " message" + (depth == 1 ? "" : "s"));
            for (DeadLetter letter : shown) {
                out.println("  " + describe(letter));
            }
            if (shown.size() < depth) {
                out.println("  ... and about " + (depth - shown.size()) + " more");
            }
            if (depth == 0 && shown.isEmpty()) {
                out.println("nothing to move");
                return 0;
            }
            out.println("why they failed is not kept on SQS messages: the ingest function logs one line per failed"
                    + " object" + outputs.get(StackOutput.INGEST_FUNCTION).map(f -> ", e.g. aws logs filter-log-events"
                    + " --log-group-name /aws/lambda/" + f + " --filter-pattern '{ $.outcome = \"failed\" }'")
                    .orElse(""));
            out.flush();
            if (!yes && !confirmed(out, queueUrl)) {
                out.println("nothing moved");
                return 0;
            }
            String task;
            try {
                task = deadLetters.moveTo(queueUrl);
            } catch (AwsServiceException e) {
                throw new IOException("StartMessageMoveTask failed ("
                        + (e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode())
                        + "); the messages are still in the dead-letter queue: "
                        + e.getMessage().replaceAll("\\s+", " "),
                        e);
            }
            out.println("moving the messages back to " + queueUrl + " (SQS move task " + task + ")");
            out.flush();
            return 0;
        }
    }

    private boolean confirmed(PrintWriter out, String queueUrl) {
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask on: add --yes to move the messages back");
        }
        out.print("Move them back to " + queueUrl + "? [y/N] ");
        out.flush();
        return isYes(console.readLine());
    }

    /** Only an explicit yes counts; anything else, an empty line or end of input means no. */
    static boolean isYes(String answer) {
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }

    private static String describe(DeadLetter letter) {
        String what = letter.objects().isEmpty() ? "(" + letter.note() + ")" : String.join(", ", letter.objects());
        StringBuilder line = new StringBuilder(what);
        line.append("  received ").append(letter.receiveCount()).append('x');
        if (letter.sentAt() != null) {
            line.append(", sent ").append(letter.sentAt());
        }
        if (letter.firstReceivedAt() != null) {
            line.append(", first received ").append(letter.firstReceivedAt());
        }
        if (!letter.objects().isEmpty() && letter.note() != null) {
            line.append("  (").append(letter.note()).append(')');
        }
        return line.toString();
    }
}
