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

    /**
     * An entity tag as this record holds it, whoever reported it: without the quotes S3 puts around it in
     * headers and listings (event notifications carry none); null when absent or empty.
     */
    public static String normalizeETag(String eTag) {
        if (eTag == null) {
            return null;
        }
        String bare = eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
        return bare.isEmpty() ? null : bare;
    }
}
