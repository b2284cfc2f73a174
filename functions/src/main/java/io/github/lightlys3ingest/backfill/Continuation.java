package io.github.lightlys3ingest.backfill;

import java.io.IOException;

/** Starts a fresh invocation that goes on from a state (in Lambda: an asynchronous invoke of the function itself). */
@FunctionalInterface
public interface Continuation {
    void handOff(BackfillState next) throws IOException;
}
