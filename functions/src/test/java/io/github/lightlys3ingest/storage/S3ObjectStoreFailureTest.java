package io.github.lightlys3ingest.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How {@link S3ObjectStore} turns S3 failures the emulator cannot produce (denied access, rejected
 * credentials, throttling, conflicting conditional writes) into exceptions, using a scripted client.
 */
class S3ObjectStoreFailureTest {
    private static final DatasourceUri ROOT = DatasourceUri.s3("datalake", "in/");

    /** A client answering each call with the next scripted outcome (an exception is thrown). */
    private static S3Client scripted(List<String> calls, Object... outcomes) {
        Deque<Object> script = new ArrayDeque<>(List.of(outcomes));
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.isDefault() && args != null && args.length == 1
                            && args[0] instanceof Consumer<?>) {
                        // The SDK's consumer-builder overloads delegate to the request-object methods.
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    calls.add(method.getName());
                    Object next = script.removeFirst();
                    if (next instanceof Throwable t) {
                        throw t;
                    }
                    return next;
                });
    }

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " message").build())
                .message(code + " message").build();
    }

    @Test
    void accessDeniedBecomesDatasourceAccessExceptionNamingOperationAndObject() {
        S3ObjectStore store = new S3ObjectStore(scripted(new ArrayList<>(), s3Error(403, "AccessDenied")), ROOT);

        DatasourceAccessException e = assertThrows(DatasourceAccessException.class, () -> store.read("a.jpg", 10));

        assertEquals("GetObject on s3://datalake/in/a.jpg was denied (AccessDenied): check the IAM policy and the "
                + "bucket policy", e.getMessage());
        assertEquals("datalake", e.bucket());
        assertEquals("GetObject", e.operation());
    }

    @Test
    void rejectedCredentialsBecomeDatasourceAccessException() {
        S3ObjectStore store = new S3ObjectStore(scripted(new ArrayList<>(), s3Error(403, "InvalidAccessKeyId")), ROOT);

        DatasourceAccessException e = assertThrows(DatasourceAccessException.class,
                () -> store.list("", null, info -> { }));

        assertEquals("ListObjectsV2 on s3://datalake/in/ failed: the AWS credentials were rejected "
                + "(InvalidAccessKeyId)", e.getMessage());
    }

    @Test
    void bucketInAnotherRegionIsNamedAsSuch() {
        S3ObjectStore store = new S3ObjectStore(scripted(new ArrayList<>(), s3Error(301, "PermanentRedirect")), ROOT);

        DatasourceAccessException e = assertThrows(DatasourceAccessException.class,
                () -> store.put("a.jpg", new byte[1], "image/jpeg"));

        assertTrue(e.getMessage().contains("is in another region"), e.getMessage());
    }

    @Test
    void throttlingAndNetworkFailuresStayPlainIOExceptionsForTheQueueToRetry() {
        S3ObjectStore throttled = new S3ObjectStore(scripted(new ArrayList<>(), s3Error(503, "SlowDown")), ROOT);
        S3ObjectStore offline = new S3ObjectStore(scripted(new ArrayList<>(),
                SdkClientException.create("Unable to execute HTTP request: Connection refused")), ROOT);

        IOException slow = assertThrows(IOException.class, () -> throttled.read("a.jpg", 10));
        IOException refused = assertThrows(IOException.class, () -> offline.delete("a.jpg"));

        assertFalse(slow instanceof DatasourceAccessException);
        assertInstanceOf(S3Exception.class, slow.getCause());
        assertEquals("DeleteObject on s3://datalake/in/a.jpg failed: Unable to execute HTTP request:"
                + " Connection refused", refused.getMessage());
    }

    @Test
    void conflictingConditionalWriteReportsFalseWhenTheObjectNowExists() throws IOException {
        List<String> calls = new ArrayList<>();
        S3ObjectStore store = new S3ObjectStore(scripted(calls, s3Error(409, "ConditionalRequestConflict"),
                HeadObjectResponse.builder().contentLength(5L).eTag("\"abc\"").build()), ROOT);

        assertFalse(store.putIfAbsent("r.json", new byte[5], "application/json"));
        assertEquals(List.of("putObject", "headObject"), calls);
    }

    @Test
    void conflictingConditionalWriteWritesAgainWhenTheOtherWriteFailed() throws IOException {
        List<String> calls = new ArrayList<>();
        S3ObjectStore store = new S3ObjectStore(scripted(calls, s3Error(409, "ConditionalRequestConflict"),
                s3Error(404, "NotFound"), HeadBucketResponse.builder().build(),
                PutObjectResponse.builder().eTag("\"abc\"").build()), ROOT);

        assertTrue(store.putIfAbsent("r.json", new byte[5], "application/json"));
        assertEquals(List.of("putObject", "headObject", "headBucket", "putObject"), calls);
    }
}
