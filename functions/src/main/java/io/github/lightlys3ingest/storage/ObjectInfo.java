package io.github.lightlys3ingest.storage;

import java.time.Instant;

/**
 * What a datasource knows about one object before reading it.
 *
 * @param key          path relative to the datasource root, always with {@code /}
 * @param size         size in bytes
 * @param eTag         S3 entity tag without quotes, or a content fingerprint for local files; may be null
 * @param versionId    S3 version id; null when the bucket is not versioned or for local files
 * @param lastModified when the object was last written, as listings and heads report it; null when unknown
 *                     (an object named by an event)
 */
public record ObjectInfo(String key, long size, String eTag, String versionId, Instant lastModified) {

    /** An object whose last-modified time is not known. */
    public ObjectInfo(String key, long size, String eTag, String versionId) {
        this(key, size, eTag, versionId, null);
    }
}
