package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.lightly.LightlyApiException;
import io.github.lightlys3ingest.storage.DatasourceAccessException;

/** Tells failures that stop a whole run from failures of one object. */
final class Sinks {
    private Sinks() {
    }

    /** Refused credentials, a missing bucket or dataset: every further object would fail the same way. */
    static boolean isSystemic(Exception e) {
        return e instanceof LightlyApiException || e instanceof DatasourceAccessException;
    }
}
