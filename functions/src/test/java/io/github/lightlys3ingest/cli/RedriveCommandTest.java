package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.backfill.S3EventBody;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code redrive} on moto. moto (5.2.1) lists the dead letters fine but does not implement SQS
 * StartMessageMoveTask, so the move itself is checked to fail safely there: one line, exit 3, nothing lost.
 */
@ExtendWith(MotoExtension.class)
class RedriveCommandTest {
    private MotoServer moto;
    private String stack;
    private String queueUrl;
    private String deadLetterUrl;

    @BeforeEach
    void deployQueues(MotoServer moto) {
        this.moto = moto;
        stack = MotoServer.freshName("lightly-s3-ingest");
        try (SqsClient sqs = moto.clients().sqs()) {
            queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))).queueUrl();
            deadLetterUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest-dlq"))).queueUrl();
        }
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {
                   "IngestQueueUrl": {"Value": "%s"},
                   "DeadLetterQueueUrl": {"Value": "%s"},
                   "IngestFunctionName": {"Value": "lightly-ingest"}}}
                """.formatted(queueUrl, deadLetterUrl);
        try (var cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stack).templateBody(template));
        }
    }

    private void deadLetters(String... bodies) {
        try (SqsClient sqs = moto.clients().sqs()) {
            for (String body : bodies) {
                sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(body));
            }
        }
    }

    private long visible(String url) {
        try (SqsClient sqs = moto.clients().sqs()) {
            return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        }
    }

    private void threeDeadLetters() {
        deadLetters(S3EventBody.of("us-east-1", "datalake", "projects/cows/IMG 1+2.jpg", 10, "e1", Instant.now()),
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"datalake\"}",
                "{\"Type\":\"Notification\",\"Message\":\"{}\"}");
    }

    @Test
    void withoutATerminalOrYesItShowsTheMessagesAndRefusesInOneLine() {
        threeDeadLetters();

        CliRun run = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", stack);

        assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
        assertEquals("error: no terminal to ask on: add --yes to move the messages back", run.err().strip());
        String out = run.out();
        assertTrue(out.startsWith("dead-letter queue " + deadLetterUrl + ": 3 messages\n"), run.both());
        assertTrue(out.contains("  s3://datalake/projects/cows/IMG 1+2.jpg  received 1x, sent "),
                "key decoded: " + out);
        assertTrue(out.contains("  (S3 test event)  received 1x"), out);
        assertTrue(out.contains("  (not an S3 event notification: {\"Type\":\"Notification\",\"Message\":\"{}\"})"),
                out);
        assertTrue(out.contains("--log-group-name /aws/lambda/lightly-ingest"), out);
        assertEquals(3, visible(deadLetterUrl), "looking must leave every message visible in the dead-letter queue");
        assertEquals(0, visible(queueUrl));
    }

    @Test
    void lookingTwiceShowsTheSameMessagesAgain() {
        threeDeadLetters();

        CliRun first = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", stack, "--show", "2");
        CliRun second = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", stack);

        assertTrue(first.out().contains("  ... and about 1 more\n"), first.both());
        assertEquals(2, first.out().lines().filter(l -> l.contains(" received ")).count(), first.both());
        assertEquals(3, second.out().lines().filter(l -> l.contains(" received ")).count(), second.both());
        assertTrue(second.out().contains("received 2x") || second.out().contains("received 3x"),
                "receive counts include the looks: " + second.out());
    }

    @Test
    void withYesTheMoveIsAskedOfSqsAndMotosMissingSupportLosesNothing() {
        threeDeadLetters();

        CliRun run = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", stack, "--yes");

        // moto 5.2.1 has no StartMessageMoveTask: on AWS this run prints the move task's handle and exits 0.
        assertEquals(Main.EXIT_SYSTEMIC, run.exit(), run.both());
        assertEquals(1, run.err().strip().lines().count(), run.both());
        assertTrue(run.err().startsWith("error: StartMessageMoveTask failed ("), run.both());
        assertTrue(run.err().contains("the messages are still in the dead-letter queue"), run.both());
        assertEquals(3, visible(deadLetterUrl));
    }

    @Test
    void anEmptyDeadLetterQueueHasNothingToMove() {
        CliRun run = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", stack, "--yes");

        assertEquals(0, run.exit(), run.both());
        assertEquals("dead-letter queue " + deadLetterUrl + ": 0 messages\nnothing to move\n", run.out());
    }

    @Test
    void aStackWithoutTheQueueOutputsIsAUsageError() {
        String bare = MotoServer.freshName("other-stack");
        try (var cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(bare)
                    .templateBody("{\"Resources\": {\"Queue\": {\"Type\": \"AWS::SQS::Queue\"}}}"));
        }

        CliRun run = CliRun.run(moto.clients(), Map.of(), "redrive", "--stack", bare, "--yes");
        CliRun noStack = CliRun.run(moto.clients(), Map.of(), "redrive");

        assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
        assertEquals("error: stack " + bare + " has no output IngestQueueUrl: deploy the current version of the stack",
                run.err().strip());
        assertEquals(Main.EXIT_USAGE, noStack.exit(), noStack.both());
        assertFalse(noStack.err().contains("Exception"), noStack.both());
    }

    @Test
    void onlyAnExplicitYesConfirms() {
        for (String yes : List.of("y", "Y", "yes", " YES \n")) {
            assertTrue(RedriveCommand.isYes(yes), yes);
        }
        for (String no : new String[] {null, "", "n", "no", "yeah", "y es"}) {
            assertFalse(RedriveCommand.isYes(no), String.valueOf(no));
        }
    }
}
