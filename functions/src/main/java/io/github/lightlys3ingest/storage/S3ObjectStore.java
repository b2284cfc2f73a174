package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A datasource that is an S3 bucket and key prefix. Keys passed in and handed out are relative to the
 * prefix. Any non-empty key is accepted, since S3 allows keys a folder could not hold.
 *
 * <p>Failures surface as {@link IOException}s: {@link DatasourceAccessException} when the bucket cannot be
 * used at all (missing, access denied, bad credentials, other region), {@link NoSuchObjectException} when
 * an object to read is gone, and a plain {@code IOException} wrapping the SDK's exception for anything
 * else, which is usually transient (the SDK has already retried; the caller's queue retries again).
 * Without {@code s3:ListBucket} on the bucket, S3 answers a read of a missing key with 403 instead of 404,
 * so the reader's role needs that permission for a deleted object to show up as {@code NoSuchObjectException}.
 * Listed objects carry no version id (ListObjectsV2 does not report one); {@link #head} does.
 * The store does not close the client it is given.
 */
public final class S3ObjectStore implements ObjectStore {
    /** S3's limit on the length of a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** S3's own maximum page size for ListObjectsV2. */
    public static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    private static final int CONFLICT_RETRIES = 3;

    private final S3Client s3;
    private final DatasourceUri uri;
    private final int listPageSize;

    public S3ObjectStore(S3Client s3, DatasourceUri uri) {
        this(s3, uri, DEFAULT_LIST_PAGE_SIZE);
    }

    /** @param listPageSize keys asked for per ListObjectsV2 call (1 to 1000) */
    public S3ObjectStore(S3Client s3, DatasourceUri uri, int listPageSize) {
        if (!uri.isS3()) {
            throw new IllegalArgumentException(uri + " is not an S3 datasource");
        }
        if (listPageSize < 1 || listPageSize > DEFAULT_LIST_PAGE_SIZE) {
            throw new IllegalArgumentException("listPageSize must be between 1 and 1000: " + listPageSize);
        }
        this.s3 = s3;
        this.uri = uri;
        this.listPageSize = listPageSize;
    }

    @Override
    public DatasourceUri uri() {
        return uri;
    }

    @Override
    public Optional<String> cannotHold(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("the key is empty");
        }
        int bytes = (uri.prefix() + key).getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_KEY_BYTES
                ? Optional.of("the S3 key would be " + bytes + " bytes, over S3's limit of " + MAX_KEY_BYTES)
                : Optional.empty();
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        String fullKey = fullKey(key);
        try {
            HeadObjectResponse response = s3.headObject(b -> b.bucket(uri.bucket()).key(fullKey));
            return Optional.of(new ObjectInfo(key, response.contentLength(),
                    ObjectInfo.normalizeETag(response.eTag()), response.versionId(), response.lastModified()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // A HEAD answer has no body, so a missing bucket looks like a missing key: ask the bucket.
                requireBucket("HeadObject");
                return Optional.empty();
            }
            throw failure(e, "HeadObject", fullKey);
        } catch (SdkException e) {
            throw failure(e, "HeadObject", fullKey);
        }
    }

    @Override
    public byte[] read(String key, long maxBytes) throws IOException {
        return read(key, maxBytes, null).bytes();
    }

    @Override
    public ObjectContent readContent(String key, long maxBytes) throws IOException {
        return read(key, maxBytes, null);
    }

    /**
     * A GET with {@code If-Match} on the eTag, so the bytes are those of that version or none (S3 answers
     * 412); the version id, when both sides know one, is compared with the answer's. A versioned GET would
     * need {@code s3:GetObjectVersion} besides, for no gain: equal eTags mean equal bytes.
     */
    @Override
    public ObjectContent readVersion(ObjectInfo object, long maxBytes) throws IOException {
        if (object.eTag() == null) {
            throw new IllegalArgumentException("no eTag to read " + object.key() + " by");
        }
        return read(object.key(), maxBytes, object);
    }

    private ObjectContent read(String key, long maxBytes, ObjectInfo version) throws IOException {
        String fullKey = fullKey(key);
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(uri.bucket()).key(fullKey);
        if (version != null) {
            request.ifMatch("\"" + version.eTag() + "\"");
        }
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(request.build())) {
            if (version != null && version.versionId() != null && body.response().versionId() != null
                    && !version.versionId().equals(body.response().versionId())) {
                body.abort();
                throw new VersionMismatchException(location(fullKey), key, version.versionId());
            }
            Long length = body.response().contentLength();
            if (length != null && length > limit) {
                body.abort(); // drop the connection instead of draining a body we do not want
                throw new ObjectTooLargeException(key, length, limit);
            }
            byte[] bytes = body.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                body.abort();
                throw new ObjectTooLargeException(key, bytes.length, limit);
            }
            GetObjectResponse response = body.response();
            return new ObjectContent(bytes, ObjectInfo.normalizeETag(response.eTag()),
                    response.hasMetadata() ? response.metadata() : Map.of());
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && "NoSuchKey".equals(errorCode(e))) {
                throw new NoSuchObjectException(location(fullKey), key);
            }
            if (e.statusCode() == 412 && version != null) {
                throw new VersionMismatchException(location(fullKey), key, version.eTag());
            }
            throw failure(e, "GetObject", fullKey);
        } catch (SdkException e) {
            throw failure(e, "GetObject", fullKey);
        }
    }

    /** One GetObjectTagging request; needs {@code s3:GetObjectTagging} on the key. */
    @Override
    public Map<String, String> tags(String key) throws IOException {
        String fullKey = fullKey(key);
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            s3.getObjectTagging(b -> b.bucket(uri.bucket()).key(fullKey)).tagSet()
                    .forEach(tag -> tags.put(tag.key(), tag.value()));
            return tags;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && "NoSuchKey".equals(errorCode(e))) {
                throw new NoSuchObjectException(location(fullKey), key);
            }
            throw failure(e, "GetObjectTagging", fullKey);
        } catch (SdkException e) {
            throw failure(e, "GetObjectTagging", fullKey);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        String fullKey = fullKey(key);
        try {
            s3.putObject(putRequest(fullKey, contentType).build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure(e, "PutObject", fullKey);
        }
    }

    /**
     * Uses S3's conditional write ({@code If-None-Match: *}): S3 answers 412 when the key exists, and 409
     * when a concurrent conditional write to the same key is in flight, in which case the outcome is
     * decided by looking whether the object exists now and writing again if it does not.
     */
    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) throws IOException {
        String fullKey = fullKey(key);
        PutObjectRequest request = putRequest(fullKey, contentType).ifNoneMatch("*").build();
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(request, RequestBody.fromBytes(bytes));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                if (e.statusCode() != 409) {
                    throw failure(e, "PutObject", fullKey);
                }
                if (head(key).isPresent()) {
                    return false;
                }
                if (attempt == CONFLICT_RETRIES) {
                    throw failure(e, "PutObject", fullKey);
                }
            } catch (SdkException e) {
                throw failure(e, "PutObject", fullKey);
            }
        }
    }

    /**
     * Uses S3's conditional write ({@code If-Match: <eTag>}): 412 when the object is another version now, 409
     * when a concurrent conditional write to the key is in flight (another writer is replacing it), 404 when
     * it is gone; each means this writer lost.
     */
    @Override
    public boolean replaceIfMatch(String key, String eTag, byte[] bytes, String contentType) throws IOException {
        String fullKey = fullKey(key);
        PutObjectRequest request = putRequest(fullKey, contentType).ifMatch("\"" + eTag + "\"").build();
        try {
            s3.putObject(request, RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409
                    || (e.statusCode() == 404 && "NoSuchKey".equals(errorCode(e)))) {
                return false;
            }
            throw failure(e, "PutObject", fullKey);
        } catch (SdkException e) {
            throw failure(e, "PutObject", fullKey);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String fullKey = fullKey(key);
        try {
            s3.deleteObject(b -> b.bucket(uri.bucket()).key(fullKey));
        } catch (SdkException e) {
            throw failure(e, "DeleteObject", fullKey);
        }
    }

    @Override
    public void list(String prefix, String startAfter, Consumer<ObjectInfo> each) throws IOException {
        String fullPrefix = uri.prefix() + (prefix == null ? "" : prefix);
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(uri.bucket())
                .prefix(fullPrefix)
                .maxKeys(listPageSize);
        if (startAfter != null) {
            request.startAfter(uri.prefix() + startAfter);
        }
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request.build())) {
                for (S3Object object : page.contents()) {
                    each.accept(new ObjectInfo(object.key().substring(uri.prefix().length()), object.size(),
                            ObjectInfo.normalizeETag(object.eTag()), null, object.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw failure(e, "ListObjectsV2", fullPrefix);
        }
    }

    private PutObjectRequest.Builder putRequest(String fullKey, String contentType) {
        PutObjectRequest.Builder builder = PutObjectRequest.builder().bucket(uri.bucket()).key(fullKey);
        if (contentType != null) {
            builder.contentType(contentType);
        }
        return builder;
    }

    private void requireBucket(String operation) throws IOException {
        try {
            s3.headBucket(b -> b.bucket(uri.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw noSuchBucket(operation, e);
            }
            // 403 here only means the caller may not list the bucket; the object is simply missing.
        } catch (SdkException e) {
            throw failure(e, operation, uri.prefix());
        }
    }

    private String fullKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return uri.prefix() + key;
    }

    private IOException failure(SdkException e, String operation, String fullKey) {
        if (e instanceof S3Exception s3e) {
            String code = errorCode(s3e);
            String where = location(fullKey);
            switch (code) {
                case "NoSuchBucket":
                    return noSuchBucket(operation, e);
                case "AccessDenied", "AllAccessDisabled", "AccountProblem":
                    return new DatasourceAccessException(uri.bucket(), operation,
                            operation + " on " + where + " was denied (" + code + "): check the IAM policy "
                                    + "and the bucket policy", e);
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken",
                        "TokenRefreshRequired":
                    return new DatasourceAccessException(uri.bucket(), operation,
                            operation + " on " + where + " failed: the AWS credentials were rejected (" + code
                                    + ")", e);
                case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
                    return new DatasourceAccessException(uri.bucket(), operation,
                            operation + " on " + where + " failed: bucket " + uri.bucket()
                                    + " is in another region than the client (" + code + ")", e);
                default:
                    if (s3e.statusCode() == 403) {
                        return new DatasourceAccessException(uri.bucket(), operation,
                                operation + " on " + where + " was denied (HTTP 403)", e);
                    }
                    return new IOException(operation + " on " + where + " failed: " + oneLine(e), e);
            }
        }
        return new IOException(operation + " on " + location(fullKey) + " failed: " + oneLine(e), e);
    }

    private DatasourceAccessException noSuchBucket(String operation, SdkException e) {
        return new DatasourceAccessException(uri.bucket(), operation,
                operation + " failed: bucket " + uri.bucket() + " does not exist", e);
    }

    private String location(String fullKey) {
        return "s3://" + uri.bucket() + "/" + fullKey;
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
