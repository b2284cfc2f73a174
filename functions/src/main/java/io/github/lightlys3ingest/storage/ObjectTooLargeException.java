package io.github.lightlys3ingest.storage;

import java.io.IOException;

/** An object is larger than the configured byte limit; thrown before its bytes are read. */
public class ObjectTooLargeException extends IOException {
    private final long size;

    public ObjectTooLargeException(String key, long size, long limit) {
        super(key + " has " + size + " bytes, more than the limit of " + limit);
        this.size = size;
    }

    public long size() {
        return size;
    }
}
