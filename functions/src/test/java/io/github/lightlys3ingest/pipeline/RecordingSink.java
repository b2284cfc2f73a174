package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.lightly.LightlySample;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.lightly.SampleUpdateRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** In-process sink for unit tests: remembers every request and answers stable ids per file name. */
final class RecordingSink implements SampleSink {
    static final String DATASET = "0123456789abcdef01234567";

    final List<SampleCreateRequest> requests = new CopyOnWriteArrayList<>();
    final List<SampleUpdateRequest> updates = new CopyOnWriteArrayList<>();
    final Map<String, String> ids = new ConcurrentHashMap<>();
    final Map<String, Map<String, Object>> customMetaData = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Optional<String> datasetId() {
        return Optional.of(DATASET);
    }

    @Override
    public Optional<String> createSample(SampleCreateRequest request) {
        requests.add(request);
        return Optional.of(ids.computeIfAbsent(request.fileName(),
                f -> String.format("%024x", next.incrementAndGet())));
    }

    @Override
    public Optional<String> findSample(String fileName) {
        lookups.incrementAndGet();
        return Optional.ofNullable(ids.get(fileName));
    }

    @Override
    public Optional<LightlySample> getSample(String sampleId) {
        return ids.entrySet().stream().filter(e -> e.getValue().equals(sampleId)).findFirst()
                .map(e -> new LightlySample(sampleId, e.getKey(), customMetaData.getOrDefault(sampleId, Map.of())));
    }

    @Override
    public void updateSample(String sampleId, SampleUpdateRequest request) {
        updates.add(request);
        if (request.customMetaData() != null) {
            customMetaData.put(sampleId, request.customMetaData());
        }
    }
}
