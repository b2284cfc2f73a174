package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RetryPolicy NO_JITTER = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(120),
            Duration.ofSeconds(10), 0);

    @Test
    void waitsDoubleFromOneSecondLikeLightlysClient() {
        List<Duration> waits = IntStream.range(0, 5)
                .mapToObj(retry -> NO_JITTER.delayBefore(retry, 500, Optional.empty(), 0.99))
                .toList();
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16)), waits);
    }

    @Test
    void waitsAreCappedAtTheMaximum() {
        assertEquals(Duration.ofSeconds(120), NO_JITTER.delayBefore(10, 503, Optional.empty(), 0));
        assertEquals(Duration.ofSeconds(120), RetryPolicy.DEFAULT.delayBefore(7, 503, Optional.empty(), 0.99));
    }

    @Test
    void jitterStretchesTheWaitByAtMostItsShare() {
        assertEquals(Duration.ofSeconds(4), RetryPolicy.DEFAULT.delayBefore(2, 500, Optional.empty(), 0));
        assertEquals(Duration.ofSeconds(5), RetryPolicy.DEFAULT.delayBefore(2, 500, Optional.empty(), 0.5));
        assertTrue(RetryPolicy.DEFAULT.delayBefore(2, 500, Optional.empty(), 0.999)
                .compareTo(Duration.ofSeconds(6)) < 0);
    }

    @Test
    void tooManyRequestsWaitsAtLeastTenSeconds() {
        assertEquals(Duration.ofSeconds(10), NO_JITTER.delayBefore(0, 429, Optional.empty(), 0));
        assertEquals(Duration.ofSeconds(16), NO_JITTER.delayBefore(4, 429, Optional.empty(), 0));
    }

    @Test
    void retryAfterHeaderReplacesTheTenSecondMinimum() {
        assertEquals(Duration.ofSeconds(3), NO_JITTER.delayBefore(0, 429, Optional.of(Duration.ofSeconds(3)), 0));
        assertEquals(Duration.ofSeconds(30), NO_JITTER.delayBefore(0, 503, Optional.of(Duration.ofSeconds(30)), 0));
        assertEquals(Duration.ofSeconds(120), NO_JITTER.delayBefore(0, 429, Optional.of(Duration.ofHours(1)), 0));
    }

    @Test
    void retriesOnlyTransientStatuses() {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isRetryable(status), "status " + status);
        }
        for (int status : new int[] {200, 201, 400, 401, 403, 404, 409, 413, 501}) {
            assertFalse(RetryPolicy.isRetryable(status), "status " + status);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1.5));
    }
}
