package io.github.lightlys3ingest.storage;

import java.io.IOException;

/**
 * The object to read does not exist (any more). Events arrive late and out of order, so callers usually
 * treat this as "nothing to do" rather than as a failure.
 */
public class NoSuchObjectException extends IOException {
    private final String key;

    public NoSuchObjectException(String location, String key) {
        super(location + " does not exist");
        this.key = key;
    }

    /** The key relative to the datasource root. */
    public String key() {
        return key;
    }
}
