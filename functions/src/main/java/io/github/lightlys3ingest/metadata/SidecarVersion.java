package io.github.lightlys3ingest.metadata;

/**
 * The sidecar an image's custom metadata was built from, kept in the image's record so that a changed
 * sidecar (a new eTag) is noticed.
 *
 * @param key  sidecar key relative to the input root
 * @param eTag its eTag (or local fingerprint) when it was read
 */
public record SidecarVersion(String key, String eTag) {
}
