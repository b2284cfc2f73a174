package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code status} on folders and on moto (S3, SQS, CloudWatch, CloudFormation), run through {@link Main}. */
@ExtendWith(MotoExtension.class)
class StatusCommandTest {
    private static final AwsClients LOCAL =
            new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9")));

    @TempDir
    Path out;

    private void file(String key, String json, Instant modified) throws IOException {
        Path file = out.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static String rejection(String fileName, String reason) {
        return "{\"fileName\":\"" + fileName + "\",\"reason\":\"" + reason + "\",\"detail\":\"x\"}";
    }

    /** Three settled objects, one in progress, one abandoned two hours ago, one re-claimed after its record. */
    private void aBusyOutput() throws IOException {
        Instant now = Instant.now();
        Instant earlier = now.minus(Duration.ofDays(1));
        for (String name : List.of("cows/a.jpg", "cows/b@home.jpg")) {
            file(".lightly/ingest/claims/" + name + "@e1.json", "{}", earlier);
            file(".lightly/ingest/records/" + name + ".json", "{}", earlier.plusSeconds(3));
        }
        file(".lightly/ingest/claims/cows/bad.jpg@e1.json", "{}", earlier);
        file(".lightly/ingest/rejected/cows/bad.jpg.json", rejection("cows/bad.jpg", "corrupt"),
                earlier.plusSeconds(1));
        file(".lightly/ingest/rejected/cows/big.png.json", rejection("cows/big.png", "too_many_pixels"), earlier);
        file(".lightly/ingest/rejected/cows/worse.jpg.json", rejection("cows/worse.jpg", "corrupt"), earlier);
        file(".lightly/ingest/removed/cows/gone.jpg.json", "{}", earlier);
        file(".lightly/ingest/claims/cows/busy.jpg@e1.json", "{}", now.minusSeconds(30));
        file(".lightly/ingest/claims/cows/dead.jpg@e1~v1.json", "{}", now.minus(Duration.ofHours(2)));
        // A new version of a.jpg, claimed after its record was written and not settled yet:
        file(".lightly/ingest/claims/cows/a.jpg@e2.json", "{}", now.minusSeconds(60));
        file(".lightly/thumbnails/cows/a_thumb.jpg", "not counted", earlier);
    }

    @Test
    void countsComeFromTheListingAndStaleClaimsNeedAttention() throws Exception {
        aBusyOutput();

        CliRun run = CliRun.run(LOCAL, Map.of(), "status", "--output", out.toString());

        assertEquals(Main.EXIT_INCOMPLETE, run.exit(), run.both());
        String text = run.out();
        assertTrue(text.contains("records     2\n"), text);
        assertTrue(text.contains("rejections  3  (--reasons reads them to count by reason)\n"), text);
        assertTrue(text.contains("removals    1\n"), text);
        assertTrue(text.contains("claims      6  open 3, stale 1 (lease 900 s)\n"), text);
        // oldest first; the ages depend on when the test runs
        assertTrue(text.matches("(?s).*\n    STALE cows/dead\\.jpg  claimed 2 h ago\n"
                + "    open  cows/a\\.jpg  claimed \\d+ s ago\n    open  cows/busy\\.jpg  claimed \\d+ s ago\n.*"),
                text);
        assertTrue(text.contains("read 0)"), "listing only: " + text);
        assertTrue(text.contains("attention: 1 stale claim (older than the 900 s lease)"), text);
        assertEquals("", run.err());
    }

    @Test
    void jsonListsEveryOpenClaimAndReasonsAreReadOnlyWhenAsked() throws Exception {
        aBusyOutput();

        CliRun run = CliRun.run(LOCAL, Map.of("CLAIM_LEASE_SECONDS", "86400"), "status", "--output", out.toString(),
                "--json", "--reasons");

        assertEquals(0, run.exit(), "with a day's lease nothing is stale\n" + run.both());
        JsonNode status = Json.MAPPER.readTree(run.out());
        assertEquals(3, status.path("objectsRead").asInt());
        assertEquals(2, status.path("rejectionReasons").path("corrupt").asInt());
        assertEquals(1, status.path("rejectionReasons").path("too_many_pixels").asInt());
        JsonNode census = status.path("census");
        assertEquals(2, census.path("records").asInt());
        assertEquals(86400, census.path("leaseSeconds").asInt());
        assertEquals(0, census.path("stale").asInt());
        assertEquals(List.of("cows/dead.jpg", "cows/a.jpg", "cows/busy.jpg"),
                census.path("open").findValuesAsText("fileName"));
        assertEquals("e1~v1", census.path("open").path(0).path("eTag").asText());
        assertEquals(0, status.path("attention").size());
    }

    @Test
    void anEmptyOrNewOutputIsFine() throws Exception {
        CliRun run = CliRun.run(LOCAL, Map.of(), "status", "--output", out.toString());

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("records     0\n") && run.out().strip().endsWith("ok"), run.both());
    }

    @Test
    void withAStackItShowsQueueDepthsAndAlarmStates(MotoServer moto) throws Exception {
        String bucket = MotoServer.freshName("lightly-output");
        String stack = MotoServer.freshName("lightly-s3-ingest");
        String queueUrl;
        String deadLetterUrl;
        try (S3Client s3 = moto.clients().s3(); SqsClient sqs = moto.clients().sqs();
             CloudWatchClient cloudWatch = moto.clients().cloudWatch()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("out/.lightly/ingest/records/cows/a.jpg.json"),
                    RequestBody.fromString("{}"));
            s3.putObject(b -> b.bucket(bucket).key("out/.lightly/ingest/claims/cows/a.jpg@e1.json"),
                    RequestBody.fromString("{}"));
            s3.putObject(b -> b.bucket(bucket).key("out/.lightly/ingest/claims/cows/b.jpg@e1.json"),
                    RequestBody.fromString("{}"));
            queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))).queueUrl();
            deadLetterUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest-dlq"))).queueUrl();
            for (int i = 0; i < 3; i++) {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));
            }
            sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody("{}"));
            for (String alarm : List.of("dlq-not-empty", "function-errors")) {
                cloudWatch.putMetricAlarm(b -> b.alarmName(alarm).namespace("AWS/SQS").metricName("M")
                        .statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(1).threshold(0.0)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            }
            cloudWatch.setAlarmState(b -> b.alarmName("dlq-not-empty").stateValue(StateValue.ALARM)
                    .stateReason("1 message"));
            cloudWatch.setAlarmState(b -> b.alarmName("function-errors").stateValue(StateValue.OK).stateReason("fine"));
        }
        String template = """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                 "Outputs": {
                   "OutputDatasourceUri": {"Value": "s3://%s/out/"},
                   "IngestQueueUrl": {"Value": "%s"},
                   "DeadLetterQueueUrl": {"Value": "%s"},
                   "AlarmNames": {"Value": "dlq-not-empty, function-errors,not-deployed"}}}
                """.formatted(bucket, queueUrl, deadLetterUrl);
        try (var cloudFormation = moto.clients().cloudFormation()) {
            cloudFormation.createStack(b -> b.stackName(stack).templateBody(template));
        }

        CliRun text = CliRun.run(moto.clients(), Map.of(), "status", "--stack", stack);
        CliRun json = CliRun.run(moto.clients(), Map.of(), "status", "--stack", stack, "--json");

        assertEquals(Main.EXIT_INCOMPLETE, text.exit(), text.both());
        assertTrue(text.out().startsWith("status  output s3://" + bucket + "/out/\n"), text.both());
        assertTrue(text.out().contains("  queue       3 waiting, 0 in flight, 0 delayed\n"), text.both());
        assertTrue(text.out().contains("  dead-letter 1\n"), text.both());
        assertTrue(text.out().contains("  alarm       ALARM             dlq-not-empty\n"), text.both());
        assertTrue(text.out().contains("  alarm       OK                function-errors\n"), text.both());
        JsonNode status = Json.MAPPER.readTree(json.out());
        assertEquals(1, status.path("census").path("records").asInt());
        assertEquals(1, status.path("census").path("open").size(), "b.jpg has no record");
        assertEquals(3, status.path("queue").path("visible").asInt());
        assertEquals(1, status.path("deadLetters").path("visible").asInt());
        assertEquals(List.of("ALARM", "OK", "MISSING"), status.path("alarms").findValuesAsText("state"));
        assertEquals("1 message", status.path("alarms").path(0).path("reason").asText());
        assertEquals(List.of("1 message in the dead-letter queue: see redrive", "alarm dlq-not-empty is ALARM",
                "alarm not-deployed is MISSING"), Json.MAPPER.convertValue(status.path("attention"), List.class));
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        CliRun nothing = CliRun.run(LOCAL, Map.of(), "status");
        CliRun missing = CliRun.run(LOCAL, Map.of(), "status", "--output", out.resolve("nope").toString());
        CliRun badLease = CliRun.run(LOCAL, Map.of("CLAIM_LEASE_SECONDS", "soon"), "status",
                "--output", out.toString());
        CliRun zeroLease = CliRun.run(LOCAL, Map.of(), "status", "--output", out.toString(),
                "--claim-lease-seconds", "0");

        for (CliRun run : List.of(nothing, missing, badLease, zeroLease)) {
            assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
            assertEquals(1, run.err().strip().lines().count(), run.both());
            assertTrue(run.err().startsWith("error: "), run.both());
            assertEquals("", run.out());
        }
        assertTrue(badLease.err().contains("CLAIM_LEASE_SECONDS must be a positive number of seconds"),
                badLease.both());
    }
}
