package io.github.lightlys3ingest.lambda;

/**
 * One object event, whichever way it came (S3 notification, through SNS, or EventBridge), with its key
 * decoded.
 *
 * @param bucket    bucket name
 * @param key       full object key, decoded
 * @param eTag      entity tag without quotes, or null when the event carries none (removals)
 * @param versionId version id, or null for unversioned buckets
 * @param size      object size in bytes, or null when the event carries none
 * @param kind      what happened to the object
 * @param eventName the event's own name, for logs ({@code ObjectCreated:Put}, {@code Object Deleted}...)
 */
public record ObjectEvent(String bucket, String key, String eTag, String versionId, Long size, Kind kind,
                          String eventName) {

    /** What happened to the object. */
    public enum Kind {
        /** {@code ObjectCreated:*}, EventBridge {@code Object Created}. */
        CREATED,
        /** {@code ObjectRemoved:*}, EventBridge {@code Object Deleted}. */
        REMOVED,
        /** Anything else S3 reports (restores, tagging, lifecycle transitions...): nothing to ingest. */
        OTHER
    }
}
