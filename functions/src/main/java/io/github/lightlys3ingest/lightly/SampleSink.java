package io.github.lightlys3ingest.lightly;

import java.io.IOException;
import java.util.Optional;

/**
 * Where sample records go: one Lightly dataset, or nowhere in a dry run. Failures: {@link IOException}
 * when a request failed after retries (retry later; {@link LightlyUnavailableException} when Lightly is
 * down), {@link LightlyApiException} when Lightly refused it.
 */
public interface SampleSink {

    /** The dataset samples go to; empty in a dry run. */
    Optional<String> datasetId();

    /**
     * Creates the sample exactly once: after an attempt whose outcome is unknown (5xx, timeout, lost answer),
     * the file name is looked up before sending again; a sample with this file name found then, or a 409, is
     * reused.
     *
     * @return the sample id; empty in a dry run
     */
    Optional<String> createSample(SampleCreateRequest request) throws IOException;

    /**
     * Looks a sample up by file name; used when taking over an object whose worker died, which may
     * have created the sample already.
     *
     * @return the sample id, empty when there is none (or in a dry run)
     */
    Optional<String> findSample(String fileName) throws IOException;

    /** The sample with this id; empty when the dataset has none (or in a dry run). */
    Optional<LightlySample> getSample(String sampleId) throws IOException;

    /** Replaces the fields the request names, keeping the others. Does nothing in a dry run. */
    void updateSample(String sampleId, SampleUpdateRequest request) throws IOException;

    /** A sink that creates nothing: local runs without a Lightly dataset. */
    SampleSink DRY_RUN = new SampleSink() {
        @Override
        public Optional<String> datasetId() {
            return Optional.empty();
        }

        @Override
        public Optional<String> createSample(SampleCreateRequest request) {
            return Optional.empty();
        }

        @Override
        public Optional<String> findSample(String fileName) {
            return Optional.empty();
        }

        @Override
        public Optional<LightlySample> getSample(String sampleId) {
            return Optional.empty();
        }

        @Override
        public void updateSample(String sampleId, SampleUpdateRequest request) {
        }
    };
}
