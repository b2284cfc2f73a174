package io.github.lightlys3ingest.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps what was sent; can be told to fail from a given batch on. */
final class RecordingEnqueuer implements Enqueuer {
    final List<List<String>> batches = new ArrayList<>();
    int failFromBatch = Integer.MAX_VALUE;

    @Override
    public synchronized void send(List<String> bodies) throws IOException {
        if (bodies.isEmpty() || bodies.size() > MAX_BATCH) {
            throw new AssertionError("batch of " + bodies.size());
        }
        if (batches.size() + 1 >= failFromBatch) {
            throw new IOException("queue unavailable (test)");
        }
        batches.add(List.copyOf(bodies));
    }

    /** Decoded full keys of every message, in sending order. */
    synchronized List<String> keys() {
        List<String> keys = new ArrayList<>();
        batches.forEach(batch -> batch.forEach(body -> keys.add(keyOf(body))));
        return keys;
    }

    static String keyOf(String body) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            return URLDecoder.decode(tree.path("Records").path(0).path("s3").path("object").path("key").asText(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
