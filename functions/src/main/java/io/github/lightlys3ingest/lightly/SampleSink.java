package io.github.lightlys3ingest.lightly;

import java.io.IOException;
import java.util.Optional;

/** Where sample records go: the Lightly API, or nowhere in a dry run. */
public interface SampleSink {

    /**
     * Creates the sample, or finds the existing one with the same file name.
     *
     * @return the sample id; empty in a dry run
     * @throws IOException when the request failed after retries (a transient, retryable failure)
     */
    Optional<String> createSample(SampleCreateRequest request) throws IOException;

    /**
     * Looks a sample up by file name; used only when taking over an object whose worker died, which may
     * have created the sample already.
     *
     * @return the sample id, empty when there is none (or in a dry run)
     */
    Optional<String> findSample(String fileName) throws IOException;

    /** A sink that creates nothing: local runs without a Lightly dataset. */
    SampleSink DRY_RUN = new SampleSink() {
        @Override
        public Optional<String> createSample(SampleCreateRequest request) {
            return Optional.empty();
        }

        @Override
        public Optional<String> findSample(String fileName) {
            return Optional.empty();
        }
    };
}
