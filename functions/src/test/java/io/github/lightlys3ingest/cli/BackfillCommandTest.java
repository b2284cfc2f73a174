package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** User mistakes in {@code backfill} end as one line on stderr and exit code 2, before any AWS call. */
class BackfillCommandTest {
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void aFolderInputIsRefused() {
        int code = run("backfill", "--input", "/data/images", "--output", "s3://lightly-out/x/",
                "--queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/ingest");

        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().startsWith("error: INPUT_URI='/data/images': a backfill needs an s3://bucket/prefix/ input"),
                err.toString());
        assertEquals(1, err.toString().lines().count());
    }

    @Test
    void aPrefixOutsideTheInputIsRefused() {
        int code = run("backfill", "--input", "s3://datalake/projects/farm-animals/", "--output", "s3://lightly-out/x/",
                "--queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/ingest", "--prefix", "projects/");

        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().contains("prefix 'projects/' is not inside the configured input prefix"), err.toString());
    }

    @Test
    void helpListsTheOptions() {
        assertEquals(0, run("backfill", "--help"));
        for (String option : new String[] {"--input", "--output", "--queue-url", "--start-after", "--max-objects",
                "--dry-run", "--prefix"}) {
            assertTrue(out.toString().contains(option), option);
        }
    }
}
