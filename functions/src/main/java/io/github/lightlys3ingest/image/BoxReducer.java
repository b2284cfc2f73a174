package io.github.lightlys3ingest.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Averages factor x factor blocks of the rows it is fed into a small image (alpha-weighted when there is
 * alpha), so that the thumbnail is built during the statistics pass without a second full-size image.
 * Edge blocks average the pixels they actually cover.
 */
final class BoxReducer {
    /**
     * From 4 x 4 blocks on, every other pixel of every other row is averaged: a quarter of the work, and
     * on photos the thumbnail stays above 40 dB PSNR from the full average (BoxReducerTest).
     */
    static final int MIN_SUBSAMPLED_FACTOR = 4;
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
        this(width, height, factor, factor >= MIN_SUBSAMPLED_FACTOR ? 2 : 1, alpha);
    }

    /**
     * @param step 1 to average every pixel, 2 for every other pixel of every other row, counted from each
     *             block's first, so that every block has samples
     */
    BoxReducer(int width, int height, int factor, int step, boolean alpha) {
        this.width = width;
        this.height = height;
        this.factor = factor;
        this.alpha = alpha;
        outWidth = (width + factor - 1) / factor;
        outHeight = (height + factor - 1) / factor;
        sums = new long[outWidth * 3];
        alphaSums = alpha ? new long[outWidth] : null;
        out = new int[outWidth * outHeight];
        this.step = step;
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
     * {@code alpha} is the alpha offset, ignored without alpha).
     */
    void addRow(byte[] data, int start, int stride, int red, int green, int blue, int alphaOffset) {
        int y = rows++;
        if (y % factor % step == 0) {
            if (alpha) {
                addWeighted(data, start, stride, red, green, blue, alphaOffset);
            } else if (stride == 3) {
                addThreeBytes(data, start, red == 0 ? 0 : green == 0 ? 1 : 2, red == 1 ? 0 : green == 1 ? 1 : 2,
                        red == 2 ? 0 : green == 2 ? 1 : 2);
            } else {
                addAnyLayout(data, start, stride, red, green, blue);
            }
        }
        if (rows % factor == 0 || rows == height) {
            int firstRow = (rows - 1) / factor * factor;
            emit(firstRow / factor, sampled(firstRow, rows));
        }
    }

    /**
     * Three bytes a pixel (decoded JPEGs, RGB PNG/TIFF/WebP, converted rows): a constant stride in the
     * inner loops, sums kept by byte position; {@code channelAt0} and so on say which channel each
     * position holds.
     */
    private void addThreeBytes(byte[] data, int start, int channelAt0, int channelAt1, int channelAt2) {
        long[] sums = this.sums;
        for (int bin = 0; bin < outWidth; bin++) {
            int x = bin * factor;
            int end = Math.min(x + factor, width);
            int s0 = 0, s1 = 0, s2 = 0;
            if (step == 1) {
                for (; x < end; x++) {
                    int p = start + 3 * x;
                    s0 += data[p] & 0xFF;
                    s1 += data[p + 1] & 0xFF;
                    s2 += data[p + 2] & 0xFF;
                }
            } else {
                for (; x < end; x += 2) {
                    int p = start + 3 * x;
                    s0 += data[p] & 0xFF;
                    s1 += data[p + 1] & 0xFF;
                    s2 += data[p + 2] & 0xFF;
                }
            }
            sums[bin * 3 + channelAt0] += s0;
            sums[bin * 3 + channelAt1] += s1;
            sums[bin * 3 + channelAt2] += s2;
        }
    }

    private void addAnyLayout(byte[] data, int start, int stride, int red, int green, int blue) {
        int pixelStep = stride * step;
        for (int bin = 0; bin < outWidth; bin++) {
            int x = bin * factor;
            int end = Math.min(x + factor, width);
            int r = 0, g = 0, b = 0;
            for (int p = start + x * stride; x < end; x += step, p += pixelStep) {
                r += data[p + red] & 0xFF;
                g += data[p + green] & 0xFF;
                b += data[p + blue] & 0xFF;
            }
            sums[bin * 3] += r;
            sums[bin * 3 + 1] += g;
            sums[bin * 3 + 2] += b;
        }
    }

    private void addWeighted(byte[] data, int start, int stride, int red, int green, int blue, int alphaOffset) {
        int pixelStep = stride * step;
        for (int bin = 0; bin < outWidth; bin++) {
            int x = bin * factor;
            int end = Math.min(x + factor, width);
            long r = 0, g = 0, b = 0, a = 0;
            for (int p = start + x * stride; x < end; x += step, p += pixelStep) {
                int weight = data[p + alphaOffset] & 0xFF;
                r += (data[p + red] & 0xFF) * weight;
                g += (data[p + green] & 0xFF) * weight;
                b += (data[p + blue] & 0xFF) * weight;
                a += weight;
            }
            alphaSums[bin] += a;
            sums[bin * 3] += r;
            sums[bin * 3 + 1] += g;
            sums[bin * 3 + 2] += b;
        }
    }

    /** How many of the positions from..to-1 of a block are sampled. */
    private int sampled(int from, int to) {
        return (to - from + step - 1) / step;
    }

    /** The reduced image, TYPE_INT_ARGB when there is alpha, else TYPE_INT_RGB. */
    BufferedImage result() {
        BufferedImage image = new BufferedImage(outWidth, outHeight,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(out, 0, pixels, 0, out.length);
        return image;
    }

    private void emit(int outRow, int blockRows) {
        int lastBin = outWidth - 1;
        RoundedDivision full = new RoundedDivision((long) sampled(0, factor) * blockRows);
        RoundedDivision last = new RoundedDivision((long) sampled(lastBin * factor, width) * blockRows);
        for (int bin = 0; bin < outWidth; bin++) {
            RoundedDivision count = bin < lastBin ? full : last;
            int rgb;
            if (alpha) {
                long a = alphaSums[bin];
                rgb = count.of(a) << 24;
                if (a > 0) {
                    rgb |= rounded(sums[bin * 3], a) << 16 | rounded(sums[bin * 3 + 1], a) << 8
                            | rounded(sums[bin * 3 + 2], a);
                }
                alphaSums[bin] = 0;
            } else {
                // TYPE_INT_RGB stores no alpha bits
                rgb = count.of(sums[bin * 3]) << 16 | count.of(sums[bin * 3 + 1]) << 8 | count.of(sums[bin * 3 + 2]);
            }
            out[outRow * outWidth + bin] = rgb;
            sums[bin * 3] = 0;
            sums[bin * 3 + 1] = 0;
            sums[bin * 3 + 2] = 0;
        }
    }

    private static int rounded(long sum, long count) {
        return (int) ((sum + count / 2) / count);
    }

    /**
     * (sum + count / 2) / count for sums of at most 255 * count, the same for a whole row of blocks:
     * a multiplication and a shift instead of a division per channel (Granlund and Montgomery's
     * multiply-by-reciprocal, exact for numerators below 2^31). Counts too large for that divide.
     */
    static final class RoundedDivision {
        private final long count;
        private final long multiplier;
        private final int shift;

        RoundedDivision(long count) {
            this.count = count;
            if (count <= (Integer.MAX_VALUE - count) / 256) {
                int log = 64 - Long.numberOfLeadingZeros(count - 1);
                shift = 31 + log;
                multiplier = (1L << shift) / count + 1;
            } else {
                shift = 0;
                multiplier = 0;
            }
        }

        int of(long sum) {
            long numerator = sum + count / 2;
            return (int) (multiplier != 0 ? (numerator * multiplier) >>> shift : numerator / count);
        }
    }
}
