package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code backfill} from the command line: a real run against moto, and user mistakes as one line with exit 2. */
@ExtendWith(MotoExtension.class)
class BackfillCommandTest {
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ingest";

    @Test
    void enqueuesEveryObjectUnderTheInputOnceAndSkipsLightlyFolders(MotoServer moto) {
        String bucket = MotoServer.freshName("datalake");
        try (S3Client s3 = moto.clients().s3(); SqsClient sqs = moto.clients().sqs()) {
            s3.createBucket(b -> b.bucket(bucket));
            String queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("ingest"))).queueUrl();
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < 25; i++) {
                String key = "projects/farm/cow " + i + ".jpg";
                expected.add(key);
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
            }
            s3.putObject(b -> b.bucket(bucket).key("projects/farm/.lightly/thumbnails/a_thumb.jpg"),
                    RequestBody.fromString("x"));
            s3.putObject(b -> b.bucket(bucket).key("projects/other/b.jpg"), RequestBody.fromString("x"));

            CliRun run = CliRun.run(moto.clients(), Map.of(), "backfill",
                    "--input", "s3://" + bucket + "/projects/farm/", "--output", "s3://" + bucket + "/lightly/farm/",
                    "--queue-url", queueUrl);

            assertEquals(0, run.exit(), run.both());
            assertTrue(run.out().startsWith("listed 26, enqueued 25, skipped 0 (record current), ignored 1"),
                    run.both());
            Set<String> enqueued = new TreeSet<>();
            int messages = 0;
            for (int round = 0; round < 20 && messages < 25; round++) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()) {
                    messages++;
                    String key = m.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
                    enqueued.add(URLDecoder.decode(key, StandardCharsets.UTF_8));
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
            assertEquals(25, messages);
            assertEquals(expected, enqueued);
        }
    }

    @Test
    void aFolderInputIsRefused(MotoServer moto) {
        CliRun run = CliRun.run(moto.clients(), Map.of(), "backfill", "--input", "/data/images", "--output",
                "s3://lightly-out/x/", "--queue-url", QUEUE);

        assertEquals(Main.EXIT_USAGE, run.exit());
        assertTrue(run.err()
                .startsWith("error: INPUT_URI='/data/images': a backfill needs an s3://bucket/prefix/ input"),
                run.both());
        assertEquals(1, run.err().lines().count());
    }

    @Test
    void aPrefixOutsideTheInputIsRefused(MotoServer moto) {
        CliRun run = CliRun.run(moto.clients(), Map.of(), "backfill", "--input", "s3://datalake/projects/farm-animals/",
                "--output", "s3://lightly-out/x/", "--queue-url", QUEUE, "--prefix", "projects/");

        assertEquals(Main.EXIT_USAGE, run.exit());
        assertTrue(run.err().contains("prefix 'projects/' is not inside the configured input prefix"), run.both());
    }

    @Test
    void helpListsTheOptions(MotoServer moto) {
        CliRun run = CliRun.run(moto.clients(), Map.of(), "backfill", "--help");
        assertEquals(0, run.exit());
        for (String option : new String[] {"--input", "--output", "--queue-url", "--start-after", "--max-objects",
                "--dry-run", "--prefix"}) {
            assertTrue(run.out().contains(option), option);
        }
    }
}
