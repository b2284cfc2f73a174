package io.github.lightlys3ingest.image;

import java.awt.image.BufferedImage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * The one pass over the decoded rows: statistics and, when wanted, the block-reduced thumbnail source.
 *
 * <p>As a read listener it takes each row as soon as the decoder reports it (decoders report every row
 * of a sequential JPEG, top to bottom): on the decoding thread, while the row is still in the CPU cache,
 * or, given a helper executor, on a helper thread that follows the decoder, so that decoding and
 * measuring overlap on two cores. Anything else (several passes, rows out of order, another image
 * returned than the one reported) makes it start again from the decoded image in {@link #finish}, so a
 * decoder that reports differently only costs time.
 *
 * <p>With a helper, nothing waits for anything but the helper's end: the helper parks only while the
 * decoder has reported no further row and has not ended, {@link #decodingEnded} wakes it, and a helper
 * task that has not started by then is left to do nothing while the decoding thread measures the rows
 * itself; so a busy or saturated executor never blocks an analysis.
 */
final class SinglePass implements IIOReadUpdateListener {
    private final boolean thumbnail;
    private final int thumbSize;
    private final Executor helper;
    private BufferedImage image;
    private RowSource rows;
    private PixelStatistics statistics;
    private BoxReducer reducer;
    private int[] target;
    /** Rows measured so far; with a helper, owned by the helper until {@link #decodingEnded} has returned. */
    private int nextRow;
    /** Decoding thread only: the row the decoder should report next. */
    private int expectedRow;
    private boolean unusable;

    /** Helper hand-off: rows reported so far, decoder done, and who runs the helper task. */
    private volatile int reported;
    private volatile boolean ended;
    private volatile boolean helperWaiting;
    private volatile Thread helperThread;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch helperDone = new CountDownLatch(1);
    private Throwable helperFailure;

    /**
     * @param thumbnail whether to build the thumbnail source too
     * @param thumbSize the thumbnail's box size
     * @param helper    runs the measuring of reported rows beside the decoder; null to measure them on
     *                  the decoding thread
     */
    SinglePass(boolean thumbnail, int thumbSize, Executor helper) {
        this.thumbnail = thumbnail;
        this.thumbSize = thumbSize;
        this.helper = helper;
    }

    /**
     * Call when the decoder has returned or thrown, before {@link #finish}: lets the helper measure the
     * last reported rows and waits for it. Uninterruptible: the helper only ever waits for this call.
     */
    void decodingEnded() {
        ended = true;
        Thread running = helperThread;
        if (running != null) {
            LockSupport.unpark(running);
        }
        if (claimed.compareAndSet(false, true)) {
            return; // no helper task, or it never started: it will find the work claimed and do nothing
        }
        boolean interrupted = false;
        while (true) {
            try {
                helperDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (helperFailure != null) {
            throw new IllegalStateException("measuring rows failed", helperFailure);
        }
    }

    /**
     * Completes the pass over the image the decoder returned ({@link #decodingEnded} first when listening), then
     * lets go of the image: a helper task still queued in a busy executor keeps this pass reachable after the
     * analysis, and must not keep the raster, whose memory the analysis gives back to the budget, with it.
     */
    void finish(BufferedImage decoded) {
        if (unusable || image != decoded) {
            start(decoded);
        }
        addRowsUpTo(decoded.getHeight());
        image = null;
        rows = null;
    }

    PixelStatistics statistics() {
        return statistics;
    }

    /** The block-reduced image, or null without thumbnail. */
    BoxReducer reducer() {
        return reducer;
    }

    /** Thumbnail width and height (before orientation). */
    int[] target() {
        return target;
    }

    private void start(BufferedImage decoded) {
        image = decoded;
        rows = RowSource.of(decoded);
        statistics = new PixelStatistics(rows.width, rows.height);
        target = ThumbnailEncoder.fit(rows.width, rows.height, thumbSize);
        reducer = thumbnail
                ? new BoxReducer(rows.width, rows.height,
                        BoxReducer.factorFor(rows.width, rows.height, target[0], target[1]), rows.hasAlpha())
                : null;
        nextRow = 0;
        unusable = false;
    }

    /** The helper task: measures rows as they are reported until the decoder has ended. */
    private void followDecoder() {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        helperThread = Thread.currentThread();
        try {
            while (true) {
                int available = reported;
                if (available > nextRow) {
                    addRowsUpTo(available);
                } else if (ended) {
                    addRowsUpTo(reported); // reported is final once ended is seen
                    return;
                } else {
                    helperWaiting = true;
                    if (reported == available && !ended) {
                        LockSupport.park(this);
                    }
                    helperWaiting = false;
                }
            }
        } catch (RuntimeException | Error e) {
            helperFailure = e;
        } finally {
            helperDone.countDown();
        }
    }

    private void addRowsUpTo(int end) {
        for (int y = nextRow; y < end; y++) {
            rows.load(y);
            int start = rows.start();
            statistics.addRow(rows.array(), start, rows.stride, rows.red, rows.green, rows.blue);
            if (reducer != null) {
                reducer.addRow(rows.displayArray(), start, rows.stride, rows.red, rows.green, rows.blue, rows.alpha);
            }
        }
        nextRow = Math.max(nextRow, end);
    }

    @Override
    public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass, int minX,
                            int minY, int periodX, int periodY, int[] bands) {
        if (pass > 0 || expectedRow > 0) {
            unusable = true;
        }
    }

    @Override
    public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width, int height,
                            int periodX, int periodY, int[] bands) {
        if (unusable || theImage == null) {
            unusable = true;
            return;
        }
        if (image == null) {
            start(theImage);
            if (helper != null) {
                try {
                    helper.execute(this::followDecoder);
                } catch (RejectedExecutionException e) {
                    // a shut-down or full executor: the decoding thread measures the rows after decoding
                }
            }
        }
        if (theImage != image || minX != 0 || width != rows.width || periodX != 1 || periodY != 1
                || minY != expectedRow) {
            unusable = true;
            return;
        }
        expectedRow = minY + height;
        if (helper == null) {
            addRowsUpTo(expectedRow);
        } else {
            reported = expectedRow;
            if (helperWaiting) {
                LockSupport.unpark(helperThread);
            }
        }
    }

    @Override
    public void passComplete(ImageReader source, BufferedImage theImage) {
    }

    @Override
    public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass, int maxPass,
                                     int minX, int minY, int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width,
                                int height, int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
    }
}
