package io.github.lightlys3ingest.image;

import java.awt.image.BufferedImage;

/**
 * Averages factor x factor blocks of the rows it is fed into a small image (alpha-weighted when there is
 * alpha), so that the thumbnail is built during the statistics pass without a second full-size image.
 * Edge blocks average the pixels they actually cover.
 */
final class BoxReducer {
    private final int width;
    private final int height;
    private final int factor;
    private final boolean alpha;
    private final int outWidth;
    private final int outHeight;
    private final long[] sums;
    private final long[] alphaSums;
    private final int[] out;
    private final int step;
    private int rows;

    BoxReducer(int width, int height, int factor, boolean alpha) {
        this.width = width;
        this.height = height;
        this.factor = factor;
        this.alpha = alpha;
        outWidth = (width + factor - 1) / factor;
        outHeight = (height + factor - 1) / factor;
        sums = new long[outWidth * 3];
        alphaSums = alpha ? new long[outWidth] : null;
        out = new int[outWidth * outHeight];
        step = factor >= 8 ? 2 : 1;
    }

    /**
     * The largest block size that still leaves at least twice the target size, so the final resize
     * (bilinear) works on a modest image and never sees aliasing from skipped pixels.
     */
    static int factorFor(int width, int height, int targetWidth, int targetHeight) {
        return Math.max(1, Math.min(width / (2 * targetWidth), height / (2 * targetHeight)));
    }

    int outWidth() {
        return outWidth;
    }

    int outHeight() {
        return outHeight;
    }

    /**
     * Adds the next row (same addressing as {@link PixelStatistics#addRow(byte[], int, int, int, int, int)};
     * {@code alpha} is the alpha offset, ignored without alpha). Large blocks average every other pixel of
     * every other row: a quarter of the work, and still hundreds of samples per output pixel.
     */
    void addRow(byte[] data, int start, int stride, int red, int green, int blue, int alphaOffset) {
        int y = rows++;
        if (y % step == 0) {
            int pixelStep = stride * step;
            for (int bin = 0, x = 0, p = start; bin < outWidth; bin++) {
                long r = 0, g = 0, b = 0, a = 0;
                int end = Math.min((bin + 1) * factor, width);
                if (alpha) {
                    for (; x < end; x += step, p += pixelStep) {
                        int weight = data[p + alphaOffset] & 0xFF;
                        r += (data[p + red] & 0xFF) * weight;
                        g += (data[p + green] & 0xFF) * weight;
                        b += (data[p + blue] & 0xFF) * weight;
                        a += weight;
                    }
                    alphaSums[bin] += a;
                } else {
                    for (; x < end; x += step, p += pixelStep) {
                        r += data[p + red] & 0xFF;
                        g += data[p + green] & 0xFF;
                        b += data[p + blue] & 0xFF;
                    }
                }
                sums[bin * 3] += r;
                sums[bin * 3 + 1] += g;
                sums[bin * 3 + 2] += b;
            }
        }
        if (rows % factor == 0 || rows == height) {
            int firstRow = (rows - 1) / factor * factor;
            emit(firstRow / factor, sampled(firstRow, rows));
        }
    }

    /** How many of the positions from..to-1 are sampled (multiples of the step). */
    private int sampled(int from, int to) {
        return (to + step - 1) / step - (from + step - 1) / step;
    }

    /** The reduced image, TYPE_INT_ARGB when there is alpha, else TYPE_INT_RGB. */
    BufferedImage result() {
        BufferedImage image = new BufferedImage(outWidth, outHeight,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, outWidth, outHeight, out, 0, outWidth);
        return image;
    }

    private void emit(int outRow, int blockRows) {
        for (int bin = 0; bin < outWidth; bin++) {
            int blockColumns = sampled(bin * factor, Math.min((bin + 1) * factor, width));
            long count = (long) blockColumns * blockRows;
            int argb;
            if (alpha) {
                long a = alphaSums[bin];
                argb = (int) ((a + count / 2) / count) << 24;
                if (a > 0) {
                    argb |= rounded(sums[bin * 3], a) << 16 | rounded(sums[bin * 3 + 1], a) << 8 | rounded(sums[bin * 3 + 2], a);
                }
                alphaSums[bin] = 0;
            } else {
                argb = 0xFF000000 | rounded(sums[bin * 3], count) << 16 | rounded(sums[bin * 3 + 1], count) << 8
                        | rounded(sums[bin * 3 + 2], count);
            }
            out[outRow * outWidth + bin] = argb;
            sums[bin * 3] = 0;
            sums[bin * 3 + 1] = 0;
            sums[bin * 3 + 2] = 0;
        }
    }

    private static int rounded(long sum, long count) {
        return (int) ((sum + count / 2) / count);
    }
}
