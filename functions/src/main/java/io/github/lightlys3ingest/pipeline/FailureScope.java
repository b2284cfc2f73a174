package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.lightly.LightlyApiException;
import io.github.lightlys3ingest.lightly.LightlyUnavailableException;
import io.github.lightlys3ingest.storage.DatasourceAccessException;

/**
 * How far an object's failure reaches: the one rule the Lambda handler and the CLI apply to the exception an
 * object failed with. Rejections are outcomes, not failures; every failure is retried later (the queue
 * redelivers the message, an operator reruns the CLI), and this tells whether the next objects are worth trying
 * now.
 */
public enum FailureScope {
    /**
     * Every further object would fail the same way: Lightly refused the token, the dataset or the request
     * ({@link LightlyApiException}), a datasource cannot be used at all ({@link DatasourceAccessException}: a
     * missing bucket, denied access; an {@link java.io.IOException} that retrying does not fix) or Lightly is down
     * ({@link LightlyUnavailableException#systemic()}). The CLI stops its run (exit 3); the handler fails the rest
     * of its batch without reading it.
     */
    RUN,
    /** This object only (a timeout, a 5xx after retries, a bug): the others go on. */
    OBJECT;

    /** The scope of {@code failure}. */
    public static FailureScope of(Throwable failure) {
        boolean systemic = failure instanceof LightlyApiException || failure instanceof DatasourceAccessException
                || failure instanceof LightlyUnavailableException unavailable && unavailable.systemic();
        return systemic ? RUN : OBJECT;
    }
}
