package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A datasource root (a local folder or an S3 bucket and prefix). Keys are relative to the root and use
 * {@code /}. The pipeline depends on this interface only, so a folder, S3 and in-memory test doubles plug in.
 */
public interface ObjectStore {

    /** Where this store points, e.g. {@code s3://bucket/prefix/} or an absolute folder path. */
    DatasourceUri uri();

    /**
     * Why this datasource cannot hold an object under {@code key} as it is, or empty when it can: beyond its
     * limits (1,024 bytes per S3 key; 255 bytes per path segment in a folder), a path a folder cannot
     * represent ({@code .}, {@code ..} or empty segments), or, in a folder, a path another object's files
     * already block (a file where a folder is needed, or a folder where the file would go).
     */
    Optional<String> cannotHold(String key) throws IOException;

    /** Metadata of one object, or empty when it does not exist. */
    Optional<ObjectInfo> head(String key) throws IOException;

    /**
     * Reads a whole object, refusing objects larger than {@code maxBytes} without reading them.
     *
     * @throws ObjectTooLargeException when the object is larger than {@code maxBytes}
     * @throws NoSuchObjectException when no object exists under the key
     */
    byte[] read(String key, long maxBytes) throws IOException;

    /**
     * Reads a whole object like {@link #read}, together with the eTag and user metadata of the same response
     * (no extra request). Stores without user metadata answer an empty map.
     */
    default ObjectContent readContent(String key, long maxBytes) throws IOException {
        return new ObjectContent(read(key, maxBytes), null, Map.of());
    }

    /**
     * The object's tags (on S3 one GetObjectTagging request); empty for stores without tags.
     *
     * @throws NoSuchObjectException when no object exists under the key
     */
    default Map<String, String> tags(String key) throws IOException {
        return Map.of();
    }

    /**
     * Reads a whole object, with what the same response tells ({@link #readContent}), only if it still is the
     * version {@code object} names: its eTag, and its version id when both sides know one. This default
     * compares {@link #head} before and after a plain read; stores that can ask for the version in the read
     * itself (S3's {@code If-Match}) do so.
     *
     * @throws VersionMismatchException when the key now holds another version
     * @throws NoSuchObjectException when no object exists under the key
     * @throws ObjectTooLargeException when the object is larger than {@code maxBytes}
     */
    default ObjectContent readVersion(ObjectInfo object, long maxBytes) throws IOException {
        requireVersion(object, head(object.key()));
        ObjectContent content = readContent(object.key(), maxBytes);
        requireVersion(object, head(object.key()));
        return content;
    }

    /** Writes (or overwrites) an object. */
    void put(String key, byte[] bytes, String contentType) throws IOException;

    /**
     * Writes an object only if no object exists under the key yet.
     *
     * @return true when this call created the object, false when one already existed
     */
    boolean putIfAbsent(String key, byte[] bytes, String contentType) throws IOException;

    /**
     * Overwrites an object only if it still is the version {@code eTag} names ({@link #head}'s eTag): a
     * compare-and-swap, so that of several writers replacing the same version exactly one succeeds.
     *
     * @return true when this call replaced that version; false when the object changed or is gone meanwhile
     */
    boolean replaceIfMatch(String key, String eTag, byte[] bytes, String contentType) throws IOException;

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key) throws IOException;

    /**
     * Lists objects under a key prefix (relative to the root) in lexicographic key order, starting after
     * {@code startAfter} when it is not null.
     */
    void list(String prefix, String startAfter, Consumer<ObjectInfo> each) throws IOException;

    /**
     * Throws unless {@code found} is the version {@code expected} names.
     *
     * @throws NoSuchObjectException when {@code found} is empty
     * @throws VersionMismatchException when the eTags differ, or both version ids are known and differ
     */
    static void requireVersion(ObjectInfo expected, Optional<ObjectInfo> found) throws IOException {
        if (expected.eTag() == null) {
            throw new IllegalArgumentException("no version to compare with for " + expected.key());
        }
        if (found.isEmpty()) {
            throw new NoSuchObjectException(expected.key(), expected.key());
        }
        ObjectInfo actual = found.get();
        boolean versionsDiffer = expected.versionId() != null && actual.versionId() != null
                && !expected.versionId().equals(actual.versionId());
        if (!expected.eTag().equals(actual.eTag()) || versionsDiffer) {
            throw new VersionMismatchException(expected.key(), expected.key(), expected.eTag());
        }
    }
}
