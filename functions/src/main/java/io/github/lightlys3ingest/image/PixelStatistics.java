package io.github.lightlys3ingest.image;

import java.math.BigInteger;

/**
 * Lightly's sample statistics, accumulated row by row in one pass over 8-bit RGB rows (interleaved
 * R, G, B). Sums are kept as exact integers and divided once at the end, so the results are as close to
 * numpy's float64 arithmetic as a double allows.
 *
 * <p>Sharpness follows Pillow: grey L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16, the 3x3 Laplacian
 * [-1 -1 -1; -1 8 -1; -1 -1 -1] on interior pixels clamped to 0..255, border pixels kept as L, then the
 * population standard deviation over all pixels.
 */
final class PixelStatistics {
    private final int width;
    private final int height;
    private final long[] sum = new long[3];
    private final long[] sumOfSquares = new long[3];
    private long sharpSum;
    private long sharpSumOfSquares;
    private int[] above;
    private int[] middle;
    private int[] below;
    private int rows;

    PixelStatistics(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        above = new int[width];
        middle = new int[width];
        below = new int[width];
    }

    /** Adds the next row of packed RGB (3 bytes a pixel), top to bottom. */
    void addRow(byte[] rgb) {
        addRow(rgb, 0, 3, 0, 1, 2);
    }

    /**
     * Adds the next row, top to bottom: pixel x has its channels at {@code data[start + x * stride + red]}
     * and so on. One loop does everything for the row: channel sums, grey, and the Laplacian of the row
     * above, computed as 9 * centre - (3x3 sum) from running column sums.
     */
    void addRow(byte[] data, int start, int stride, int red, int green, int blue) {
        long s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0, sharp = 0, sharpSquares = 0;
        int[] grey = below;
        int[] up = above;
        int[] mid = middle;
        boolean filter = rows >= 2;
        int columnBeforeLast = 0;
        int lastColumn = 0;
        for (int x = 0, p = start; x < width; x++, p += stride) {
            int r = data[p + red] & 0xFF;
            int g = data[p + green] & 0xFF;
            int b = data[p + blue] & 0xFF;
            s0 += r;
            s1 += g;
            s2 += b;
            q0 += r * r;
            q1 += g * g;
            q2 += b * b;
            int l = (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
            grey[x] = l;
            if (filter) {
                int column = up[x] + mid[x] + l;
                if (x >= 2) {
                    int v = 9 * mid[x - 1] - (columnBeforeLast + lastColumn + column);
                    // branch-free clamp to 0..255: photo noise makes the sign unpredictable
                    v &= ~(v >> 31);
                    v -= (v - 255) & ~((v - 255) >> 31);
                    sharp += v;
                    sharpSquares += v * v;
                }
                columnBeforeLast = lastColumn;
                lastColumn = column;
            }
        }
        sum[0] += s0;
        sum[1] += s1;
        sum[2] += s2;
        sumOfSquares[0] += q0;
        sumOfSquares[1] += q1;
        sumOfSquares[2] += q2;
        sharpSum += sharp;
        sharpSumOfSquares += sharpSquares;
        if (filter) {
            addSharpnessValue(mid[0]);
            if (width > 1) {
                addSharpnessValue(mid[width - 1]);
            }
        }
        if (rows == 0 || rows == height - 1) {
            for (int x = 0; x < width; x++) {
                addSharpnessValue(grey[x]);
            }
        }
        rows++;
        int[] recycled = above;
        above = middle;
        middle = grey;
        below = recycled;
    }

    /** The statistics; all {@code height} rows must have been added. */
    SampleMetaData result(long sizeInBytes) {
        if (rows != height) {
            throw new IllegalStateException("added " + rows + " rows of " + height);
        }
        long n = (long) width * height;
        double[] mean = new double[3];
        double[] std = new double[3];
        double[] sumOfValues = new double[3];
        double[] squares = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = sum[c] / (255.0 * n);
            std[c] = Math.sqrt(varianceNumerator(n, sum[c], sumOfSquares[c]).doubleValue()) / n / 255.0;
            sumOfValues[c] = sum[c] / 255.0;
            squares[c] = sumOfSquares[c] / 65025.0;
        }
        long all = sum[0] + sum[1] + sum[2];
        long allSquares = sumOfSquares[0] + sumOfSquares[1] + sumOfSquares[2];
        double spread = Math.sqrt(varianceNumerator(3 * n, all, allSquares).doubleValue());
        // mean / std = (S / N) / (sqrt(N * Q - S^2) / N) = S / sqrt(N * Q - S^2)
        double snr = spread == 0 ? 0 : all / spread;
        double sharpness = Math.sqrt(varianceNumerator(n, sharpSum, sharpSumOfSquares).doubleValue()) / n;
        return new SampleMetaData(new int[] {height, width, 3}, mean, std, sumOfValues, squares, snr, sharpness,
                sizeInBytes);
    }

    /** n * sumOfSquares - sum^2, exactly: n^2 times the population variance. */
    private static BigInteger varianceNumerator(long n, long sum, long sumOfSquares) {
        BigInteger s = BigInteger.valueOf(sum);
        return BigInteger.valueOf(n).multiply(BigInteger.valueOf(sumOfSquares)).subtract(s.multiply(s));
    }

    private void addSharpnessValue(int v) {
        sharpSum += v;
        sharpSumOfSquares += (long) v * v;
    }
}
