package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.contract.UploadMode;
import java.time.Duration;

/**
 * Per-object pipeline settings.
 *
 * @param uploadMode     thumbnails or metadata
 * @param thumbSuffix    where thumbnails go
 * @param maxObjectBytes objects larger than this are rejected as {@code too_large} without being read
 * @param claimLease     how long a claim protects an object from a concurrent worker; a claim older than
 *                       this belongs to a worker that died (Lambda timeout, OOM) and may be taken over
 */
public record IngestOptions(UploadMode uploadMode, ThumbSuffix thumbSuffix, long maxObjectBytes, Duration claimLease) {

    public static final long DEFAULT_MAX_OBJECT_BYTES = io.github.lightlys3ingest.contract.Defaults.MAX_OBJECT_BYTES;
    public static final Duration DEFAULT_CLAIM_LEASE = Duration.ofMinutes(15);

    public IngestOptions {
        if (maxObjectBytes <= 0) {
            throw new IllegalArgumentException("maximum object size must be positive, not " + maxObjectBytes);
        }
        if (claimLease.isNegative() || claimLease.isZero()) {
            throw new IllegalArgumentException("claim lease must be positive");
        }
    }
}
