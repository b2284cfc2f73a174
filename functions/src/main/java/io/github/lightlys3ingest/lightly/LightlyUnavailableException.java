package io.github.lightlys3ingest.lightly;

import java.io.IOException;

/**
 * A Lightly call failed after its retries: network errors, timeouts or 5xx answers (or 429s) all the way.
 * {@link #systemic()} tells that Lightly is down as a whole (several calls in a row failed like this, see
 * {@link LightlyClient}); every further call of the same client then fails at once with this exception,
 * without a request. The message is one line, names the server (scheme, host, port) and never the token.
 */
public final class LightlyUnavailableException extends IOException {

    private final boolean systemic;

    /**
     * @param message  one line naming the server and the last failure
     * @param systemic true when Lightly counts as down and the caller should stop sending
     */
    public LightlyUnavailableException(String message, boolean systemic) {
        super(message);
        this.systemic = systemic;
    }

    /** True when Lightly is down as a whole: stop the run (CLI) or fail the rest of the batch (Lambda). */
    public boolean systemic() {
        return systemic;
    }
}
