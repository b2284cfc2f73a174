package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.lightly.SampleSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** In-process sink for unit tests: remembers every request and answers stable ids per file name. */
final class RecordingSink implements SampleSink {
    final List<SampleCreateRequest> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> ids = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Optional<String> createSample(SampleCreateRequest request) {
        requests.add(request);
        return Optional.of(ids.computeIfAbsent(request.fileName(), f -> String.format("%024x", next.incrementAndGet())));
    }

    @Override
    public Optional<String> findSample(String fileName) {
        lookups.incrementAndGet();
        return Optional.ofNullable(ids.get(fileName));
    }
}
