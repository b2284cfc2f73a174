package io.github.lightlys3ingest.infra;

import java.util.Optional;

/**
 * Where a Lightly datasource lives: an existing bucket (by name) or one the stack creates, and a key prefix
 * that is either empty (the bucket root) or ends with {@code /}.
 *
 * @param existingBucket name of an existing bucket; empty means the stack creates the bucket
 * @param prefix         key prefix of the datasource root, {@code ""} or ending with {@code /}
 */
public record DatasourceLocation(Optional<String> existingBucket, String prefix) {

    /** Whether both locations name the same existing bucket. */
    public boolean sharesBucketWith(DatasourceLocation other) {
        return existingBucket.isPresent() && existingBucket.equals(other.existingBucket);
    }

    /** Whether one root lies inside the other (only possible in a shared bucket); writing there would loop. */
    public boolean overlaps(DatasourceLocation other) {
        return sharesBucketWith(other) && (prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix));
    }
}
