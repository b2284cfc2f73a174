package io.github.lightlys3ingest.storage;

import java.util.Map;

/**
 * One object as a single read returns it: the bytes plus what the same response tells about the object.
 *
 * @param bytes        the whole object
 * @param eTag         S3 entity tag without quotes, or the local fingerprint; may be null
 * @param userMetadata S3 user metadata ({@code x-amz-meta-*}) by name without the prefix, as S3 returns it
 *                     (lower case); empty for local files, which have none
 */
public record ObjectContent(byte[] bytes, String eTag, Map<String, String> userMetadata) {

    public ObjectContent {
        userMetadata = Map.copyOf(userMetadata);
    }
}
