package io.github.lightlys3ingest.infra;

/** How the datasource buckets the stack creates are encrypted at rest (context key {@code bucketEncryption}). */
public enum CreatedBucketEncryption {
    /** SSE-S3: keys managed by S3; no KMS permissions needed. */
    S3,
    /** SSE-KMS with a customer-managed key the stack creates (rotation on), granted to the roles that need it. */
    KMS
}
