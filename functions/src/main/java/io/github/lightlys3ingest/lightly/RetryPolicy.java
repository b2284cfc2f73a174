package io.github.lightlys3ingest.lightly;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When and how long to wait before repeating a failed request, after Lightly's own client: statuses 408,
 * 429, 500, 502, 503, 504 and network errors are retried with exponential waits (1, 2, 4, 8, 16 s by
 * default), each stretched by a random share of up to {@code jitter} and capped at {@code maxDelay}; after a
 * 429 the wait is at least {@code minDelayAfter429}, or the server's {@code Retry-After} when it sent one.
 *
 * @param maxRetries       retries after the first attempt
 * @param baseDelay        wait before the first retry; doubles for each further retry
 * @param maxDelay         upper bound of any single wait, including a server's {@code Retry-After}
 * @param minDelayAfter429 least wait after a 429 without {@code Retry-After}
 * @param jitter           share (0..1) of the exponential wait added at random, so workers do not retry in step
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration minDelayAfter429,
                          double jitter) {

    /** Lightly's client: 5 retries, 1 s doubling, 120 s cap, 10 s after a 429, up to 50 % jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(120),
            Duration.ofSeconds(10), 0.5);

    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    /** Validates the policy. */
    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(minDelayAfter429, "minDelayAfter429");
        if (maxRetries < 0 || baseDelay.isNegative() || maxDelay.isNegative() || minDelayAfter429.isNegative()) {
            throw new IllegalArgumentException("retry counts and delays must not be negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
    }

    /** Whether a response with this status is worth repeating. */
    public static boolean isRetryable(int status) {
        return RETRYABLE_STATUSES.contains(status);
    }

    /**
     * The wait before retry number {@code retry} (0 for the first retry).
     *
     * @param status     the failed response's status, or 0 for a network error
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param random     a uniformly distributed number in [0, 1) that picks the jitter
     */
    public Duration delayBefore(int retry, int status, Optional<Duration> retryAfter, double random) {
        Duration exponential = baseDelay.multipliedBy(1L << Math.min(retry, 30));
        Duration delay = min(exponential, maxDelay);
        delay = delay.plusNanos((long) (delay.toNanos() * jitter * random));
        if (retryAfter.isPresent()) {
            delay = max(delay, retryAfter.get());
        } else if (status == 429) {
            delay = max(delay, minDelayAfter429);
        }
        return min(delay, maxDelay);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
