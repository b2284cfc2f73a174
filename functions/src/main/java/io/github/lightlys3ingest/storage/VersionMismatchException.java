package io.github.lightlys3ingest.storage;

import java.io.IOException;

/**
 * The object under the key is not the version asked for any more: it was overwritten after the event that
 * named the version was sent. Such an event is stale; the event of the newer version does the work.
 */
public class VersionMismatchException extends IOException {
    private final String key;

    public VersionMismatchException(String location, String key, String expected) {
        super(location + " is no longer version " + expected);
        this.key = key;
    }

    /** The key relative to the datasource root. */
    public String key() {
        return key;
    }
}
