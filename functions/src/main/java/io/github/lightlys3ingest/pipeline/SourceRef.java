package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Where a sample came from, as stored in records and rejections.
 *
 * @param bucket    S3 bucket, null for a folder
 * @param dir       local folder, null for S3
 * @param key       full S3 key, or the path relative to {@code dir}
 * @param eTag      S3 eTag or local fingerprint
 * @param versionId S3 version id when the bucket is versioned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRef(String bucket, String dir, String key, String eTag, String versionId) {

    /** True when this reference names the same object version as {@code other}. */
    public boolean sameVersionAs(SourceRef other) {
        return other != null && names(other.key, other.eTag) && Objects.equals(versionId, other.versionId);
    }

    /**
     * True when this reference names an object with this key and content; for callers that know no version
     * id (a listing reports none; equal eTags mean equal content).
     */
    public boolean names(String key, String eTag) {
        return eTag != null && Objects.equals(this.key, key) && Objects.equals(this.eTag, eTag);
    }
}
