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
    /**
     * Longest stretch of a row summed in {@code int}: 255^2 * 32768 < 2^31. Per-row sums are folded into
     * the {@code long} totals; an int add is cheaper than a long one in the hot loops.
     */
    private static final int CHUNK = 32768;
    private static final int RED_WEIGHT = 19595;
    private static final int GREEN_WEIGHT = 38470;
    private static final int BLUE_WEIGHT = 7471;

    private final int width;
    private final int height;
    private final long[] sum = new long[3];
    private final long[] sumOfSquares = new long[3];
    private long sharpSum;
    private long sharpSumOfSquares;
    /*
     * The last three rows as grey (L of pixel x at index x + 1) and as horizontal 3-sums (L(x-1) + L(x) +
     * L(x+1) at index x + 1). With both indexed alike, the Laplacian of a pixel is
     * 9 * greyMiddle[i] - (boxAbove[i] + boxMiddle[i] + boxBelow[i]): no neighbouring indices, so the JIT
     * vectorises that loop.
     */
    private int[] greyAbove;
    private int[] greyMiddle;
    private int[] greyBelow;
    private int[] boxAbove;
    private int[] boxMiddle;
    private int[] boxBelow;
    private int rows;

    PixelStatistics(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        greyAbove = new int[width + 1];
        greyMiddle = new int[width + 1];
        greyBelow = new int[width + 1];
        boxAbove = new int[width + 1];
        boxMiddle = new int[width + 1];
        boxBelow = new int[width + 1];
    }

    /** Adds the next row of packed RGB (3 bytes a pixel), top to bottom. */
    void addRow(byte[] rgb) {
        addRow(rgb, 0, 3, 0, 1, 2);
    }

    /**
     * Adds the next row, top to bottom: pixel x has its channels at {@code data[start + x * stride + red]}
     * and so on. The row's pixels are read once (channel sums, grey, horizontal grey sums); the Laplacian
     * of the row above then only reads int rows.
     */
    void addRow(byte[] data, int start, int stride, int red, int green, int blue) {
        for (int from = 0; from < width; from += CHUNK) {
            int to = Math.min(width, from + CHUNK);
            if (stride == 3 && green == 1 && red + blue == 2 && red != 1) {
                addRgbOrBgr(data, start, red, from, to);
            } else if (stride == 1 && red == 0 && green == 0 && blue == 0) {
                addGrey(data, start, from, to);
            } else {
                addAnyLayout(data, start, stride, red, green, blue, from, to);
            }
        }
        if (rows >= 2) {
            for (int from = 2; from < width; from += CHUNK) {
                addLaplacian(from, Math.min(width, from + CHUNK));
            }
            addSharpnessValue(greyMiddle[1]);
            if (width > 1) {
                addSharpnessValue(greyMiddle[width]);
            }
        }
        if (rows == 0 || rows == height - 1) {
            for (int i = 1; i <= width; i++) {
                addSharpnessValue(greyBelow[i]);
            }
        }
        rows++;
        int[] recycled = greyAbove;
        greyAbove = greyMiddle;
        greyMiddle = greyBelow;
        greyBelow = recycled;
        recycled = boxAbove;
        boxAbove = boxMiddle;
        boxMiddle = boxBelow;
        boxBelow = recycled;
    }

    /*
     * The three pixel loops below differ only in how a pixel is read. Constant offsets and stride let the
     * JIT drop the bounds checks and keep everything in registers; they cover decoded JPEGs (BGR, grey),
     * PNG/TIFF/WebP RGB and every converted row.
     */

    /** Stride 3, green in the middle; {@code red} is 0 (RGB) or 2 (BGR). Sums are kept by byte position. */
    private void addRgbOrBgr(byte[] data, int start, int red, int from, int to) {
        int weight0 = red == 0 ? RED_WEIGHT : BLUE_WEIGHT;
        int weight2 = red == 0 ? BLUE_WEIGHT : RED_WEIGHT;
        int[] grey = greyBelow;
        int[] box = boxBelow;
        int left2 = from >= 2 ? grey[from - 1] : 0;
        int left1 = from >= 1 ? grey[from] : 0;
        int s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0;
        for (int x = from; x < to; x++) {
            int p = start + 3 * x;
            int c0 = data[p] & 0xFF;
            int c1 = data[p + 1] & 0xFF;
            int c2 = data[p + 2] & 0xFF;
            s0 += c0;
            s1 += c1;
            s2 += c2;
            q0 += c0 * c0;
            q1 += c1 * c1;
            q2 += c2 * c2;
            int l = (weight0 * c0 + GREEN_WEIGHT * c1 + weight2 * c2 + 0x8000) >> 16;
            grey[x + 1] = l;
            box[x] = left2 + left1 + l;
            left2 = left1;
            left1 = l;
        }
        int r = red == 0 ? 0 : 2;
        sum[r] += s0;
        sum[1] += s1;
        sum[2 - r] += s2;
        sumOfSquares[r] += q0;
        sumOfSquares[1] += q1;
        sumOfSquares[2 - r] += q2;
    }

    /** One grey byte a pixel: R = G = B, and L = v because the three weights add up to 65536. */
    private void addGrey(byte[] data, int start, int from, int to) {
        int[] grey = greyBelow;
        int[] box = boxBelow;
        int left2 = from >= 2 ? grey[from - 1] : 0;
        int left1 = from >= 1 ? grey[from] : 0;
        int s = 0, q = 0;
        for (int x = from; x < to; x++) {
            int v = data[start + x] & 0xFF;
            s += v;
            q += v * v;
            grey[x + 1] = v;
            box[x] = left2 + left1 + v;
            left2 = left1;
            left1 = v;
        }
        for (int c = 0; c < 3; c++) {
            sum[c] += s;
            sumOfSquares[c] += q;
        }
    }

    private void addAnyLayout(byte[] data, int start, int stride, int red, int green, int blue, int from, int to) {
        int[] grey = greyBelow;
        int[] box = boxBelow;
        int left2 = from >= 2 ? grey[from - 1] : 0;
        int left1 = from >= 1 ? grey[from] : 0;
        int s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0;
        for (int x = from, p = start + from * stride; x < to; x++, p += stride) {
            int r = data[p + red] & 0xFF;
            int g = data[p + green] & 0xFF;
            int b = data[p + blue] & 0xFF;
            s0 += r;
            s1 += g;
            s2 += b;
            q0 += r * r;
            q1 += g * g;
            q2 += b * b;
            int l = (RED_WEIGHT * r + GREEN_WEIGHT * g + BLUE_WEIGHT * b + 0x8000) >> 16;
            grey[x + 1] = l;
            box[x] = left2 + left1 + l;
            left2 = left1;
            left1 = l;
        }
        sum[0] += s0;
        sum[1] += s1;
        sum[2] += s2;
        sumOfSquares[0] += q0;
        sumOfSquares[1] += q1;
        sumOfSquares[2] += q2;
    }

    /** Laplacian of the middle row's pixels i - 1 for i in from..to-1, clamped to 0..255. */
    private void addLaplacian(int from, int to) {
        int[] centre = greyMiddle;
        int[] above = boxAbove;
        int[] middle = boxMiddle;
        int[] below = boxBelow;
        int s = 0, q = 0;
        for (int i = from; i < to; i++) {
            int v = 9 * centre[i] - (above[i] + middle[i] + below[i]);
            // branch-free clamp: photo noise makes the sign unpredictable, and it vectorises (Math.min/max do not)
            v &= ~(v >> 31);
            v -= (v - 255) & ~((v - 255) >> 31);
            s += v;
            q += v * v;
        }
        sharpSum += s;
        sharpSumOfSquares += q;
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
