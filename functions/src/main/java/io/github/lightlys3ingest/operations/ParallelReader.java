package io.github.lightlys3ingest.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Reads the small JSON objects the ingester writes (records, rejections) several at a time: on S3 each
 * read is a round trip of tens of milliseconds, so reading them one by one would make a report of 100k
 * records take an hour.
 */
public final class ParallelReader {
    /** Records and rejections are a few kilobytes; anything far larger is not one of ours. */
    private static final long MAX_BYTES = 16L * 1024 * 1024;

    private final ObjectStore store;
    private final int threads;

    /** @param threads reads in flight at once (1 to 256) */
    public ParallelReader(ObjectStore store, int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be between 1 and 256, not " + threads);
        }
        this.store = store;
        this.threads = threads;
    }

    /**
     * Reads every key and hands its parsed content to {@code each}, from one thread at a time and in the
     * order of {@code keys}. Objects deleted meanwhile are skipped; one that is not JSON is handed over as
     * a missing node, so that one bad object does not hide the others.
     *
     * @return the number of objects read
     * @throws IOException the first read failure (access denied, network)
     */
    public int readAll(List<String> keys, BiConsumer<String, JsonNode> each) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "output-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            int read = 0;
            // Bounded window: keeps at most a few thousand parsed objects in memory for any number of keys.
            int window = threads * 64;
            for (int start = 0; start < keys.size(); start += window) {
                List<Future<JsonNode>> batch = new ArrayList<>();
                for (String key : keys.subList(start, Math.min(keys.size(), start + window))) {
                    batch.add(pool.submit(() -> parse(key)));
                }
                for (int i = 0; i < batch.size(); i++) {
                    JsonNode node = await(batch.get(i));
                    if (node != null) {
                        each.accept(keys.get(start + i), node);
                        read++;
                    }
                }
            }
            return read;
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode parse(String key) throws IOException {
        byte[] bytes;
        try {
            bytes = store.read(key, MAX_BYTES);
        } catch (NoSuchObjectException gone) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static JsonNode await(Future<JsonNode> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
