package io.github.lightlys3ingest.image;

import java.awt.image.BufferedImage;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * The one pass over the decoded rows: statistics and, when wanted, the block-reduced thumbnail source.
 *
 * <p>As a read listener it takes each row as soon as the decoder reports it, while the row is still in
 * the CPU cache (decoders report every row of a sequential JPEG, top to bottom). Anything else (several
 * passes, rows out of order, another image returned than the one reported) makes it start again from
 * the decoded image in {@link #finish}, so a decoder that reports differently only costs time.
 */
final class SinglePass implements IIOReadUpdateListener {
    private final boolean thumbnail;
    private final int thumbSize;
    private BufferedImage image;
    private RowSource rows;
    private PixelStatistics statistics;
    private BoxReducer reducer;
    private int[] target;
    private int nextRow;
    private boolean unusable;

    /**
     * @param thumbnail whether to build the thumbnail source too
     * @param thumbSize the thumbnail's box size
     */
    SinglePass(boolean thumbnail, int thumbSize) {
        this.thumbnail = thumbnail;
        this.thumbSize = thumbSize;
    }

    /** Completes the pass over the image the decoder returned. */
    void finish(BufferedImage decoded) {
        if (unusable || image != decoded) {
            start(decoded);
        }
        addRowsUpTo(decoded.getHeight());
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
                ? new BoxReducer(rows.width, rows.height, BoxReducer.factorFor(rows.width, rows.height, target[0], target[1]),
                rows.hasAlpha())
                : null;
        nextRow = 0;
        unusable = false;
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
        if (pass > 0 || nextRow > 0) {
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
        }
        if (theImage != image || minX != 0 || width != rows.width || periodX != 1 || periodY != 1 || minY != nextRow) {
            unusable = true;
            return;
        }
        addRowsUpTo(minY + height);
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
