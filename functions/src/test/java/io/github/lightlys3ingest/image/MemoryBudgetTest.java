package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void budgetIsTheHeapMinusAQuarterButAtLeast64MiB() {
        assertEquals(192 * MIB, MemoryBudget.forHeap(256 * MIB));
        assertEquals(384 * MIB, MemoryBudget.forHeap(512 * MIB));
        assertEquals(36 * MIB, MemoryBudget.forHeap(100 * MIB));
        assertEquals(2304 * MIB, MemoryBudget.forHeap(3072 * MIB));
        assertEquals(MemoryBudget.forHeap(Runtime.getRuntime().maxMemory()), MemoryBudget.heap().bytes());
    }

    @Test
    void moreThanTheWholeBudgetIsRefusedAtOnce() throws InterruptedException {
        MemoryBudget budget = new MemoryBudget(100);
        assertTrue(budget.reserve(101).isEmpty());
        try (MemoryBudget.Reservation all = budget.reserve(100).orElseThrow()) {
            assertEquals(100, budget.inUse());
        }
        assertEquals(0, budget.inUse());
    }

    @Test
    void aReservationThatDoesNotFitWaitsForARelease() throws Exception {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Reservation first = budget.reserve(60).orElseThrow();
        Waiter second = Waiter.start(budget, 50);

        second.awaitBlocked();
        assertEquals(60, budget.inUse(), "the second waits while the first holds its memory");
        first.close();
        first.close(); // idempotent

        assertEquals(50, second.reservation().bytes());
        assertEquals(50, budget.inUse());
    }

    @Test
    void callersAreServedInArrivalOrderSoALargeImageIsNotStarved() throws Exception {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Reservation first = budget.reserve(30).orElseThrow();
        Waiter large = Waiter.start(budget, 90);
        large.awaitBlocked();
        Waiter small = Waiter.start(budget, 10);
        small.awaitBlocked();

        assertEquals(30, budget.inUse(), "the small one fits but waits behind the large one");
        first.close();
        large.reservation().close();
        assertEquals(10, small.reservation().bytes());
    }

    @Test
    void anInterruptedWaiterGivesUpItsTurn() throws Exception {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Reservation first = budget.reserve(80).orElseThrow();
        Waiter interrupted = Waiter.start(budget, 90);
        interrupted.awaitBlocked();
        Waiter behind = Waiter.start(budget, 20);
        behind.awaitBlocked();

        interrupted.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, interrupted::reservation);
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(20, behind.reservation().bytes(), "the one behind is served once memory is free");
        assertEquals(100, budget.inUse());
        first.close();
    }

    @Test
    void anImageLargerThanTheBudgetIsRejectedNamingTheBudget() throws IOException {
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisOptions.defaults(), null, new MemoryBudget(2 * MIB));

        Analysis.Rejected rejected = assertInstanceOf(Analysis.Rejected.class,
                analyzer.analyze(jpeg(1000, 1000), "big.jpg"));

        assertEquals(RejectReason.TOO_MANY_PIXELS, rejected.reason());
        assertTrue(rejected.detail().contains("1000x1000") && rejected.detail().contains("decoding budget of 2 MiB"),
                rejected.detail());
    }

    @Test
    void anAnalysisWaitsForHeapAndReleasesItWhenDone() throws Exception {
        MemoryBudget budget = new MemoryBudget(8 * MIB);
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisOptions.defaults(), null, budget);
        byte[] image = jpeg(1000, 1000); // 3 MB raster

        MemoryBudget.Reservation other = budget.reserve(6 * MIB).orElseThrow();
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Analysis> analysis = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            return analyzer.analyze(image, "a.jpg");
        });
        Waiter.awaitWaiting(worker);
        assertEquals(6 * MIB, budget.inUse(), "nothing decoded while the heap is taken");
        other.close();

        assertInstanceOf(Analysis.Accepted.class, analysis.get());
        assertEquals(0, budget.inUse(), "released after the analysis");
        assertInstanceOf(Analysis.Rejected.class, analyzer.analyze(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, "x"));
        assertEquals(0, budget.inUse(), "released after a failed decode too");
    }

    @Test
    void theReservationCoversTheRasterTheDecoderBuilds() throws Exception {
        byte[] image = jpeg(1000, 1000);
        MemoryBudget exact = new MemoryBudget(3_000_000 + image.length);
        ImageAnalyzer metadataOnly = new ImageAnalyzer(
                new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "jpg", false), null, exact);
        assertInstanceOf(Analysis.Accepted.class, metadataOnly.analyze(image, "a.jpg", null));

        ImageAnalyzer tooSmall = new ImageAnalyzer(
                new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "jpg", false), null,
                new MemoryBudget(2_999_999 + image.length));
        assertInstanceOf(Analysis.Rejected.class, tooSmall.analyze(image, "a.jpg", null),
                "1000 x 1000 x 3 bytes of RGB raster do not fit in less than 3,000,000 bytes");
    }

    @Test
    void theReservationCoversTheCopyWithoutTheIccProfileTheDecoderReads() throws Exception {
        byte[] tagged = Fixtures.bytes("/images-edge/icc_linear_rgb.jpg");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(tagged));
        long raster = (long) decoded.getWidth() * decoded.getHeight() * 3;
        long copy = tagged.length - app2Bytes(tagged);
        assertTrue(copy < tagged.length, "the fixture carries its profile in APP2 segments");
        AnalysisOptions metadataOnly = new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "jpg", false);

        assertInstanceOf(Analysis.Accepted.class, new ImageAnalyzer(metadataOnly, null,
                new MemoryBudget(raster + tagged.length + copy)).analyze(tagged, "icc.jpg", null));
        Analysis.Rejected rejected = assertInstanceOf(Analysis.Rejected.class, new ImageAnalyzer(metadataOnly, null,
                new MemoryBudget(raster + tagged.length + copy - 1)).analyze(tagged, "icc.jpg", null));
        assertEquals(RejectReason.TOO_MANY_PIXELS, rejected.reason(), "raster, object and copy are all held at once");
    }

    /** Bytes of the APP2 (ICC profile) segments of a JPEG, markers included. */
    private static long app2Bytes(byte[] jpeg) {
        long total = 0;
        int pos = 2;
        while ((jpeg[pos + 1] & 0xFF) != 0xDA) {
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if ((jpeg[pos + 1] & 0xFF) == 0xE2) {
                total += 2 + length;
            }
            pos += 2 + length;
        }
        return total;
    }

    static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y += 7) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 31 + y * 17) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** A thread reserving memory, and ways to see it wait. */
    private static final class Waiter {
        private final Thread thread;
        private final CompletableFuture<MemoryBudget.Reservation> result = new CompletableFuture<>();

        private Waiter(MemoryBudget budget, long bytes) {
            thread = new Thread(() -> {
                try {
                    Optional<MemoryBudget.Reservation> r = budget.reserve(bytes);
                    result.complete(r.orElseThrow());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        }

        static Waiter start(MemoryBudget budget, long bytes) {
            Waiter waiter = new Waiter(budget, bytes);
            waiter.thread.start();
            return waiter;
        }

        void awaitBlocked() throws InterruptedException {
            awaitWaiting(new AtomicReference<>(thread));
        }

        /** Returns once the thread waits on a monitor: it cannot proceed before someone notifies it. */
        static void awaitWaiting(AtomicReference<Thread> thread) throws InterruptedException {
            CountDownLatch never = new CountDownLatch(1);
            while (thread.get() == null || thread.get().getState() != Thread.State.WAITING) {
                never.await(5, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        MemoryBudget.Reservation reservation() throws ExecutionException, InterruptedException {
            return result.get();
        }
    }
}
