package io.github.lightlys3ingest.storage;

import java.io.IOException;

/**
 * A datasource cannot be used at all: the bucket does not exist, access is denied, the credentials are
 * rejected or the bucket lives in another region. Retrying at once does not help, so unlike other
 * {@link IOException}s it stops a run or a batch ({@link io.github.lightlys3ingest.pipeline.FailureScope#RUN});
 * the message is one line meant for a person (it names the bucket and the operation).
 */
public class DatasourceAccessException extends IOException {
    private final String bucket;
    private final String operation;

    public DatasourceAccessException(String bucket, String operation, String message, Throwable cause) {
        super(message, cause);
        this.bucket = bucket;
        this.operation = operation;
    }

    public String bucket() {
        return bucket;
    }

    /** The S3 operation that failed, e.g. {@code GetObject}. */
    public String operation() {
        return operation;
    }
}
