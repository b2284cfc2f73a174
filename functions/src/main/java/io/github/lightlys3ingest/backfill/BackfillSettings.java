package io.github.lightlys3ingest.backfill;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The backfill function's configuration: the ingester's {@code INPUT_URI} and {@code OUTPUT_URI} (parsed by
 * {@link IngestSettings}, so both functions agree on what is ingestable and where records live) and the
 * queue the ingestion function consumes.
 *
 * @param ingest   the ingester's settings
 * @param queueUrl {@code INGEST_QUEUE_URL}: URL of the ingestion queue
 */
public record BackfillSettings(IngestSettings ingest, String queueUrl) {
    private static final String INGEST_QUEUE_URL = EnvironmentVariable.INGEST_QUEUE_URL.key();

    /**
     * Parses the configuration from named values (environment variables).
     *
     * @throws IllegalArgumentException listing every bad or missing variable by name
     */
    public static BackfillSettings parse(Function<String, String> values) {
        List<String> errors = new ArrayList<>();
        IngestSettings ingest = null;
        try {
            ingest = IngestSettings.parse(values);
            if (!ingest.input().isS3()) {
                String input = EnvironmentVariable.INPUT_URI.key();
                errors.add(input + "='" + values.apply(input)
                        + "': a backfill needs an s3://bucket/prefix/ input");
            }
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
        }
        String queueUrl = values.apply(INGEST_QUEUE_URL);
        if (queueUrl == null || queueUrl.isBlank()) {
            errors.add(INGEST_QUEUE_URL + " is required");
        } else if (!queueUrl.trim().startsWith("https://") && !queueUrl.trim().startsWith("http://")) {
            errors.add(INGEST_QUEUE_URL + "='" + queueUrl + "': must be the queue's URL (https://sqs...)");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new BackfillSettings(ingest, queueUrl.trim());
    }
}
