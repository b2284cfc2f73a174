package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The handler tells an SQS batch from a direct event by streaming up to the first record's source. */
class IngestHandlerSourceTest {

    private static String sourceOf(String events) throws IOException {
        return IngestHandler.firstRecordSource(Files.readAllBytes(Path.of("..", "events", events)));
    }

    private static String sourceOfJson(String json) throws IOException {
        return IngestHandler.firstRecordSource(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleEventsAreRecognised() throws IOException {
        assertEquals("aws:sqs", sourceOf("sqs-s3-put.json"));
        assertEquals("aws:sqs", sourceOf("sqs-s3-awkward-keys.json"));
        assertEquals("aws:s3", sourceOf("s3-put.json"));
    }

    @Test
    void nestedObjectsBeforeTheSourceAreSkippedAndSnsUsesItsOwnSpelling() throws IOException {
        assertEquals("aws:sqs", sourceOfJson("{\"Records\": [{\"attributes\": {\"eventSource\": \"inner\"}, "
                + "\"messageAttributes\": {}, \"body\": \"{\\\"eventSource\\\": \\\"aws:s3\\\"}\", "
                + "\"eventSource\": \"aws:sqs\"}]}"));
        assertEquals("aws:sns", sourceOfJson("{\"Records\": [{\"EventSource\": \"aws:sns\", \"Sns\": {}}]}"));
    }

    @Test
    void payloadsWithoutRecordsHaveNoSource() throws IOException {
        assertEquals("", sourceOfJson("{\"source\": \"aws.s3\", \"detail-type\": \"Object Created\"}"));
        assertEquals("", sourceOfJson("{\"Records\": []}"));
        assertEquals("", sourceOfJson("[1, 2]"));
        assertEquals("", sourceOfJson("{\"other\": {\"Records\": [{\"eventSource\": \"aws:sqs\"}]}}"));
    }
}
