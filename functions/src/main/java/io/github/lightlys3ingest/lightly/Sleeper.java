package io.github.lightlys3ingest.lightly;

import java.time.Duration;

/** Waits between retries; tests replace it to run retry schedules without real waiting. */
@FunctionalInterface
public interface Sleeper {

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** Real waiting with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());
}
