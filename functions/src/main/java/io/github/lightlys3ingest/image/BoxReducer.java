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

    void addRow(byte[] rgb, byte[] alphaRow) {
        if (alpha) {
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                int a = alphaRow[x] & 0xFF;
                int bin = x / factor;
                sums[bin * 3] += (long) (rgb[i] & 0xFF) * a;
                sums[bin * 3 + 1] += (long) (rgb[i + 1] & 0xFF) * a;
                sums[bin * 3 + 2] += (long) (rgb[i + 2] & 0xFF) * a;
                alphaSums[bin] += a;
            }
        } else if (factor == 1) {
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                sums[i] = rgb[i] & 0xFF;
                sums[i + 1] = rgb[i + 1] & 0xFF;
                sums[i + 2] = rgb[i + 2] & 0xFF;
            }
        } else {
            for (int bin = 0, x = 0, i = 0; bin < outWidth; bin++) {
                long r = 0, g = 0, b = 0;
                int end = Math.min(x + factor, width);
                for (; x < end; x++, i += 3) {
                    r += rgb[i] & 0xFF;
                    g += rgb[i + 1] & 0xFF;
                    b += rgb[i + 2] & 0xFF;
                }
                sums[bin * 3] += r;
                sums[bin * 3 + 1] += g;
                sums[bin * 3 + 2] += b;
            }
        }
        rows++;
        if (rows % factor == 0 || rows == height) {
            emit((rows - 1) / factor, rows - ((rows - 1) / factor) * factor);
        }
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
            int blockColumns = Math.min(factor, width - bin * factor);
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
