package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.access.AccessReport;
import io.github.lightlys3ingest.access.Light;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyTableTest {
    private static final AccessReport REPORT = new AccessReport(null, "s3://datalake/out/", null, List.of(
            new Light("output", "List", Light.State.GREEN, null),
            new Light("output", "Write", Light.State.RED,
                    "AccessDenied: needs s3:PutObject on arn:aws:s3:::datalake/out/*"),
            new Light("output", "Read", Light.State.YELLOW, "skipped: Write failed")));

    @Test
    void linesUpTheLightsAndSummarises() {
        assertEquals("""
                verify  output s3://datalake/out/  (your own credentials)
                  ✔  output  List
                  ✘  output  Write  AccessDenied: needs s3:PutObject on arn:aws:s3:::datalake/out/*
                  –  output  Read   skipped: Write failed
                failed: 1 red light, 1 not checked
                """, VerifyCommand.table(REPORT, false));
    }

    @Test
    void colouredForATerminal() {
        List<String> lines = VerifyCommand.table(REPORT, true).lines().toList();

        assertEquals("\u001B[32m  ✔  output  List\u001B[0m", lines.get(1));
        assertEquals("\u001B[31m  ✘  output  Write\u001B[0m"
                + "  AccessDenied: needs s3:PutObject on arn:aws:s3:::datalake/out/*", lines.get(2));
        assertEquals("\u001B[33m  –  output  Read \u001B[0m  skipped: Write failed", lines.get(3));
    }
}
