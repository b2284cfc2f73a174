package io.github.lightlys3ingest.image;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Heap admission for image decoding: the one thing that bounds how many images are decoded at once.
 *
 * <p>A decoder allocates its whole raster up front (a 12 MP RGB JPEG is a 36 MB array, a 50 MP one 150 MB),
 * so the number of concurrent decodes a heap survives depends on the images, not on the thread count.
 * Before decoding, {@link ImageAnalyzer} reserves what the decode will allocate; a reservation that does not
 * fit waits until earlier ones are released, in arrival order (a large image is never starved by a stream of
 * small ones); one larger than the whole budget is refused, and the image becomes a {@code too_many_pixels}
 * rejection instead of an {@link OutOfMemoryError}. Thread-safe; the CLI (any {@code --threads}) and the
 * Lambda share the process-wide {@link #heap()} instance, so callers may run more workers than fit and rely
 * on this admission to keep the heap safe.
 *
 * <p>The rule: budget = maximum heap ({@link Runtime#maxMemory()}) minus a reserve of a quarter of it, but
 * at least {@value #MIN_RESERVE_MIB} MiB. The reserve holds everything else: the loaded classes' objects, the
 * SDK and HTTP clients, the encoded bytes of objects in flight, records and the garbage between collections.
 * {@code -Xmx256m} gives 192 MiB (one 50 MP image at a time), {@code -Xmx512m} 384 MiB (ten 12 MP images).
 * The reserve also absorbs G1's rounding: an array of half a heap region or more occupies whole regions (1 MiB
 * each at {@code -Xmx256m}, so under 1 MiB lost per raster).
 *
 * <p>What a reservation covers must be unreachable when it is closed, not merely no longer needed: the next
 * waiter is admitted at once and allocates its raster, and a collection cannot free a raster that a live stack
 * frame or a queued task still refers to. {@link ImageAnalyzer} therefore closes it only after the methods that
 * held the decoded image have returned.
 */
public final class MemoryBudget {
    /** Smallest part of the heap kept outside the budget. */
    public static final long MIN_RESERVE_MIB = 64;
    private static final long MIB = 1024 * 1024;
    private static final MemoryBudget HEAP = new MemoryBudget(forHeap(Runtime.getRuntime().maxMemory()));

    private final long bytes;
    private long used;
    /** Arrival order: the ticket handed to the next caller, and the ticket whose turn it is. */
    private long nextTicket;
    private long serving;
    /** Tickets given up while waiting; the queue skips them when their turn comes. */
    private final Set<Long> abandoned = new HashSet<>();

    /** @param bytes the budget; reservations above it are refused */
    public MemoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, not " + bytes);
        }
        this.bytes = bytes;
    }

    /** The budget of this process, derived from its maximum heap. */
    public static MemoryBudget heap() {
        return HEAP;
    }

    /** The budget for a maximum heap of {@code maxMemory} bytes (see the class comment for the rule). */
    public static long forHeap(long maxMemory) {
        long reserve = Math.max(MIN_RESERVE_MIB * MIB, maxMemory / 4);
        return Math.max(MIB, maxMemory - reserve);
    }

    public long bytes() {
        return bytes;
    }

    /** Bytes reserved right now. */
    public synchronized long inUse() {
        return used;
    }

    /**
     * Reserves {@code need} bytes, waiting until they are free and every earlier caller has been served.
     *
     * @return the reservation to close when the memory is no longer used; empty when {@code need} exceeds the
     *         whole budget, so that waiting could never succeed
     * @throws InterruptedException when interrupted while waiting; nothing is then reserved
     */
    public Optional<Reservation> reserve(long need) throws InterruptedException {
        if (need > bytes) {
            return Optional.empty();
        }
        long amount = Math.max(0, need);
        synchronized (this) {
            long ticket = nextTicket++;
            try {
                while (ticket != serving || used + amount > bytes) {
                    wait();
                }
            } catch (InterruptedException e) {
                // Give up the place in the queue: an abandoned ticket must not stall the ones behind it.
                if (ticket == serving) {
                    advance();
                } else {
                    abandoned.add(ticket);
                }
                notifyAll();
                throw e;
            }
            used += amount;
            advance();
            notifyAll();
        }
        return Optional.of(new Reservation(amount));
    }

    /** Passes the turn to the next ticket still waiting. */
    private void advance() {
        serving++;
        while (abandoned.remove(serving)) {
            serving++;
        }
    }

    private synchronized void release(long amount) {
        used -= amount;
        notifyAll();
    }

    /** The budget in words, for rejection details. */
    public String describe() {
        return String.format(Locale.ROOT, "the decoding budget of %d MiB (maximum heap minus a reserve of a quarter, "
                + "at least %d MiB)", bytes / MIB, MIN_RESERVE_MIB);
    }

    /** Memory held for one decode; closing it twice releases it once. */
    public final class Reservation implements AutoCloseable {
        private final long amount;
        private boolean closed;

        private Reservation(long amount) {
            this.amount = amount;
        }

        public long bytes() {
            return amount;
        }

        @Override
        public void close() {
            synchronized (MemoryBudget.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(amount);
        }
    }
}
