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

    /** A sink that creates nothing: local runs without a Lightly dataset. */
    SampleSink DRY_RUN = request -> Optional.empty();
}
