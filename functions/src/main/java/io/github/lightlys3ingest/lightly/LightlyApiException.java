package io.github.lightlys3ingest.lightly;

/**
 * Lightly refused a request in a way that repeating it will not fix (400, 401, 403, 404, ...): a wrong
 * token, an unknown dataset, a malformed request. It stops a run or a batch
 * ({@link io.github.lightlys3ingest.pipeline.FailureScope#RUN}), unlike most {@link java.io.IOException}s. The
 * message is one line and never holds the token.
 */
public final class LightlyApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String error;
    private final String requestId;

    /**
     * @param operation what was attempted, such as {@code POST /v1/datasets/<id>/samples}
     * @param status    HTTP status
     * @param code      Lightly's error code such as {@code DATASET_UNKNOWN}, or null when the body had none
     * @param error     Lightly's error text (already masked), or null
     * @param requestId Lightly's request id, or null
     */
    public LightlyApiException(String operation, int status, String code, String error, String requestId) {
        super(message(operation, status, code, error, requestId));
        this.status = status;
        this.code = code;
        this.error = error;
        this.requestId = requestId;
    }

    /** HTTP status of the refusal. */
    public int status() {
        return status;
    }

    /** Lightly's error code ({@code ApiErrorCode}), or null. */
    public String code() {
        return code;
    }

    /** Lightly's error text, or null. */
    public String error() {
        return error;
    }

    /** Lightly's request id for support, or null. */
    public String requestId() {
        return requestId;
    }

    private static String message(String operation, int status, String code, String error, String requestId) {
        StringBuilder message = new StringBuilder("Lightly API refused ").append(operation).append(": HTTP ")
                .append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        if (error != null && !error.isBlank()) {
            message.append(": ").append(error);
        }
        if (requestId != null) {
            message.append(" (requestId ").append(requestId).append(')');
        }
        return message.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
