package io.github.lightlys3ingest.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.util.ArrayList;
import java.util.List;

/**
 * What a person asks the backfill for ({@code events/backfill.json}). Keys are full S3 keys, as in the
 * S3 console and {@code aws s3 ls}.
 *
 * @param bucket     the input bucket; must be the configured one; null means the configured one ({@code {}} backfills
 *                   the whole input prefix)
 * @param prefix     full key prefix to backfill; must lie inside the configured input prefix; null means all of it
 * @param startAfter full key after which listing starts (exclusive), null to start at the beginning
 * @param maxObjects stop after enqueuing this many objects (counted over all continuations); null for no limit
 * @param dryRun     count what would be enqueued but send nothing; null means false
 */
public record BackfillRequest(String bucket, String prefix, String startAfter, Long maxObjects, Boolean dryRun) {

    private static final ObjectReader STRICT = Json.MAPPER.readerFor(BackfillRequest.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Reads a payload, refusing unknown fields so a misspelt {@code maxobjects} is an error, not a silent
     * full backfill.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static BackfillRequest fromJson(byte[] json) {
        try {
            BackfillRequest request = STRICT.readValue(json);
            if (request == null) {
                throw new IllegalArgumentException("the backfill payload is empty: expected " + FIELDS);
            }
            return request;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + e.getPropertyName() + "' in the backfill payload: "
                    + "expected " + FIELDS, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the backfill payload is not valid: " + e.getOriginalMessage()
                    + "; expected " + FIELDS, e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the backfill payload cannot be read: " + e.getMessage(), e);
        }
    }

    private static final String FIELDS = "{\"bucket\": \"...\", \"prefix\": \"...\", \"startAfter\": null, "
            + "\"maxObjects\": null, \"dryRun\": false}";

    /**
     * Checks the request against the configured input root and fills defaults.
     *
     * @return the request with {@code prefix} and {@code dryRun} filled in
     * @throws IllegalArgumentException listing every problem, each naming its field
     */
    public BackfillRequest validated(DatasourceUri input) {
        List<String> errors = new ArrayList<>();
        if (bucket != null && !bucket.isBlank() && !bucket.equals(input.bucket())) {
            errors.add("bucket '" + bucket + "' is not the configured input bucket '" + input.bucket()
                    + "' (INPUT_URI=" + input + ")");
        }
        String effectivePrefix = prefix == null || prefix.isEmpty() ? input.prefix() : prefix;
        if (!effectivePrefix.startsWith(input.prefix())) {
            errors.add("prefix '" + effectivePrefix + "' is not inside the configured input prefix '" + input.prefix()
                    + "' (INPUT_URI=" + input + ")");
        }
        if (startAfter != null && !startAfter.startsWith(effectivePrefix)) {
            errors.add("startAfter '" + startAfter + "' is not a key under prefix '" + effectivePrefix + "'");
        }
        if (maxObjects != null && maxObjects < 1) {
            errors.add("maxObjects must be at least 1 (or null for no limit), not " + maxObjects);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("bad backfill request: " + String.join("; ", errors));
        }
        return new BackfillRequest(input.bucket(), effectivePrefix, startAfter, maxObjects, dryRun != null && dryRun);
    }
}
