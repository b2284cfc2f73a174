package io.github.lightlys3ingest.lightly;

import java.util.Map;

/**
 * What the ingester reads of a sample ({@code GET /v1/datasets/{datasetId}/samples/{sampleId}}).
 *
 * @param id             the sample id
 * @param fileName       its file name
 * @param customMetaData its customMetaData, empty when it has none
 */
public record LightlySample(String id, String fileName, Map<String, Object> customMetaData) {

    /** Copies the map so the record stays immutable. */
    public LightlySample {
        customMetaData = customMetaData == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(customMetaData));
    }
}
