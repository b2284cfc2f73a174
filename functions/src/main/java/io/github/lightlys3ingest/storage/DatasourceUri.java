package io.github.lightlys3ingest.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A datasource root: either {@code s3://bucket/prefix/} or a local folder. The prefix of an S3 root is
 * empty or ends with {@code /}.
 *
 * @param bucket S3 bucket, null for a folder
 * @param prefix S3 key prefix ("" or ending in "/"), null for a folder
 * @param dir    local folder, null for S3
 */
public record DatasourceUri(String bucket, String prefix, Path dir) {

    /** Parses {@code s3://bucket/prefix} (a trailing slash is added) or a folder path. */
    public static DatasourceUri parse(String text) {
        Objects.requireNonNull(text, "datasource");
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("datasource must not be empty");
        }
        if (trimmed.startsWith("s3://")) {
            String rest = trimmed.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("'" + text + "' does not name a valid S3 bucket");
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            return new DatasourceUri(bucket, prefix, null);
        }
        return new DatasourceUri(null, null, Path.of(trimmed).toAbsolutePath().normalize());
    }

    public static DatasourceUri s3(String bucket, String prefix) {
        return parse("s3://" + bucket + "/" + (prefix == null ? "" : prefix));
    }

    public boolean isS3() {
        return bucket != null;
    }

    /** Full S3 key (or file path text) of a key relative to this root. */
    public String resolve(String key) {
        return isS3() ? prefix + key : dir.resolve(key).toString();
    }

    @Override
    public String toString() {
        return isS3() ? "s3://" + bucket + "/" + prefix : dir.toString();
    }
}
