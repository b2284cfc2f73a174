package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lightly's formulas on tiny images whose results are worked out by hand. */
class PixelStatisticsTest {

    private static SampleMetaData statistics(int width, int height, int[][] rgbPerPixel) {
        PixelStatistics statistics = new PixelStatistics(width, height);
        for (int y = 0; y < height; y++) {
            byte[] row = new byte[width * 3];
            for (int x = 0; x < width; x++) {
                int[] p = rgbPerPixel[y * width + x];
                row[x * 3] = (byte) p[0];
                row[x * 3 + 1] = (byte) p[1];
                row[x * 3 + 2] = (byte) p[2];
            }
            statistics.addRow(row);
        }
        return statistics.result(1234);
    }

    private static int[][] uniform(int count, int r, int g, int b) {
        int[][] pixels = new int[count][];
        for (int i = 0; i < count; i++) {
            pixels[i] = new int[] {r, g, b};
        }
        return pixels;
    }

    @Test
    void uniformImageHasZeroStdAndTheSnrOfItsChannelValues() {
        SampleMetaData m = statistics(4, 3, uniform(12, 10, 20, 30));

        assertArrayEquals(new int[] {3, 4, 3}, m.shape());
        assertArrayEquals(new double[] {10 / 255.0, 20 / 255.0, 30 / 255.0}, m.mean(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, m.std(), 0);
        assertArrayEquals(new double[] {12 * 10 / 255.0, 12 * 20 / 255.0, 12 * 30 / 255.0}, m.sumOfValues(), 1e-12);
        assertArrayEquals(new double[] {12 * 100 / 65025.0, 12 * 400 / 65025.0, 12 * 900 / 65025.0},
                m.sumOfSquares(), 1e-12);
        // all 36 values: 10, 20, 30 equally often: mean 20, population std sqrt(200 / 3)
        assertEquals(20 / Math.sqrt(200.0 / 3), m.snr(), 1e-12);
        assertEquals(1234, m.sizeInBytes());
    }

    @Test
    void sharpnessKeepsTheGreyBorderAndZeroesTheFlatInterior() {
        // L = (19595 * 10 + 38470 * 20 + 7471 * 30 + 0x8000) >> 16 = 18; 10 border pixels of 18, 2 interior zeros
        SampleMetaData m = statistics(4, 3, uniform(12, 10, 20, 30));

        double mean = 10 * 18 / 12.0;
        assertEquals(Math.sqrt(10 * 18 * 18 / 12.0 - mean * mean), m.sharpness(), 1e-12);
    }

    @Test
    void laplacianResponseIsClampedTo255() {
        int[][] pixels = uniform(9, 0, 0, 0);
        pixels[4] = new int[] {100, 100, 100}; // centre: 8 * 100 = 800, clamped to 255; border all 0
        SampleMetaData m = statistics(3, 3, pixels);

        assertEquals(255 * Math.sqrt(8) / 9, m.sharpness(), 1e-12);
    }

    @Test
    void negativeLaplacianResponseIsClampedToZero() {
        int[][] pixels = uniform(9, 10, 10, 10);
        pixels[4] = new int[] {0, 0, 0}; // centre: -80, clamped to 0; border L = 10
        SampleMetaData m = statistics(3, 3, pixels);

        double mean = 80 / 9.0;
        assertEquals(Math.sqrt(800 / 9.0 - mean * mean), m.sharpness(), 1e-12);
    }

    @Test
    void greyUsesPillowsRoundedWeights() {
        // (19595 * 255 + 0x8000) >> 16 = 76 for pure red; a 2x2 image is all border, so sharpness is std(L)
        SampleMetaData m = statistics(2, 2, new int[][] {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {0, 0, 0}});

        double[] grey = {76, 150, 29, 0};
        double mean = (76 + 150 + 29) / 4.0;
        double variance = 0;
        for (double g : grey) {
            variance += (g - mean) * (g - mean) / 4;
        }
        assertEquals(Math.sqrt(variance), m.sharpness(), 1e-12);
    }

    @Test
    void blackImageHasZeroSnrInsteadOfNaN() {
        SampleMetaData m = statistics(5, 1, uniform(5, 0, 0, 0));

        assertEquals(0, m.snr());
        assertEquals(0, m.sharpness());
        assertArrayEquals(new int[] {1, 5, 3}, m.shape());
    }

    @Test
    void channelStdIsThePopulationStd() {
        // red 0 and 255 on two pixels: mean 0.5, population std 0.5 (ddof 0)
        SampleMetaData m = statistics(2, 1, new int[][] {{0, 7, 7}, {255, 7, 7}});

        assertEquals(0.5, m.mean()[0], 1e-15);
        assertEquals(0.5, m.std()[0], 1e-15);
        assertEquals(0, m.std()[1]);
    }

    /**
     * The definition, written plainly: exact integer sums over every pixel, a whole grey image, the 3x3
     * kernel applied pixel by pixel. The fast row loops must give exactly the same numbers.
     */
    private static SampleMetaData reference(int width, int height, int[][] rgbPerPixel) {
        long[] sums = new long[3];
        long[] squares = new long[3];
        int[][] grey = new int[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] p = rgbPerPixel[y * width + x];
                for (int c = 0; c < 3; c++) {
                    sums[c] += p[c];
                    squares[c] += p[c] * p[c];
                }
                grey[y][x] = (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 0x8000) >> 16;
            }
        }
        long sharpSum = 0;
        long sharpSquares = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = grey[y][x];
                if (y > 0 && y < height - 1 && x > 0 && x < width - 1) {
                    v = 8 * grey[y][x];
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            v -= dy == 0 && dx == 0 ? 0 : grey[y + dy][x + dx];
                        }
                    }
                    v = Math.min(255, Math.max(0, v));
                }
                sharpSum += v;
                sharpSquares += (long) v * v;
            }
        }
        double n = (double) width * height;
        double[] mean = new double[3];
        double[] std = new double[3];
        double[] sumOfValues = new double[3];
        double[] sumOfSquares = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = sums[c] / (255.0 * n);
            std[c] = Math.sqrt(n * squares[c] - (double) sums[c] * sums[c]) / n / 255.0;
            sumOfValues[c] = sums[c] / 255.0;
            sumOfSquares[c] = squares[c] / 65025.0;
        }
        double sharpness = Math.sqrt(n * sharpSquares - (double) sharpSum * sharpSum) / n;
        return new SampleMetaData(new int[] {height, width, 3}, mean, std, sumOfValues, sumOfSquares, 0, sharpness, 0);
    }

    /** Noisy pixels (both clamps and every grey weight matter) with smooth stretches (runs of equal values). */
    private static int[][] randomPixels(int count, boolean grey, long seed) {
        Random random = new Random(seed);
        int[][] pixels = new int[count][];
        for (int i = 0; i < count; i++) {
            int r = random.nextInt(4) == 0 ? 128 : random.nextInt(256);
            pixels[i] = grey ? new int[] {r, r, r} : new int[] {r, random.nextInt(256), random.nextInt(256)};
        }
        return pixels;
    }

    /** Writes pixels in the given layout (channel offsets; -1 leaves a channel out) and feeds it row by row. */
    private static SampleMetaData statistics(int width, int height, int[][] pixels, int stride, int red, int green,
                                             int blue, int rowStart) {
        PixelStatistics statistics = new PixelStatistics(width, height);
        byte[] data = new byte[rowStart + width * stride];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(data, (byte) 0x5A); // padding and unused channels must not count
            for (int x = 0; x < width; x++) {
                int[] p = pixels[y * width + x];
                int at = rowStart + x * stride;
                data[at + red] = (byte) p[0];
                data[at + green] = (byte) p[1];
                data[at + blue] = (byte) p[2];
            }
            statistics.addRow(data, rowStart, stride, red, green, blue);
        }
        return statistics.result(0);
    }

    @ParameterizedTest(name = "{0}x{1} stride {2} offsets {3},{4},{5}")
    @CsvSource({
        // BGR as decoded JPEGs, RGB as PNG and converted rows, grey, then layouts the generic loop reads
        "97, 31, 3, 2, 1, 0", "97, 31, 3, 0, 1, 2", "97, 31, 1, 0, 0, 0", "97, 31, 4, 3, 2, 1", "97, 31, 4, 0, 1, 2",
        "1, 7, 3, 2, 1, 0", "2, 5, 3, 0, 1, 2", "3, 3, 1, 0, 0, 0", "5, 1, 3, 2, 1, 0", "7, 2, 4, 1, 2, 3",
        // wider than one int-summed stretch of a row
        "33000, 3, 3, 2, 1, 0", "32770, 4, 1, 0, 0, 0", "32769, 3, 4, 3, 2, 1"})
    void rowLoopsGiveExactlyTheDefinitionsNumbers(int width, int height, int stride, int red, int green, int blue) {
        boolean grey = stride == 1;
        int[][] pixels = randomPixels(width * height, grey, width * 31L + height);
        SampleMetaData expected = reference(width, height, pixels);

        SampleMetaData actual = statistics(width, height, pixels, stride, red, green, blue, 5);

        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.mean(), actual.mean(), 0);
        assertArrayEquals(expected.sumOfValues(), actual.sumOfValues(), 0);
        assertArrayEquals(expected.sumOfSquares(), actual.sumOfSquares(), 0);
        assertArrayEquals(expected.std(), actual.std(), 1e-15);
        assertEquals(expected.sharpness(), actual.sharpness(), 1e-12);
    }

    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"3, 2, 1, 0", "1, 0, 0, 0", "4, 0, 1, 2"})
    void brightRowsTooWideForAnIntSumAreSummedExactly(int stride, int red, int green, int blue) {
        // 255^2 * 40000 > 2^31: one int sum over the whole row would overflow
        int width = 40000;
        int[][] pixels = uniform(width * 3, 255, 255, 255);
        for (int x = 0; x < width; x += 2) {
            pixels[width + x] = new int[] {0, 0, 0}; // dark dots in the middle row: Laplacian responses 0 and 255
        }
        SampleMetaData expected = reference(width, 3, pixels);

        SampleMetaData actual = statistics(width, 3, pixels, stride, red, green, blue, 0);

        assertArrayEquals(expected.sumOfSquares(), actual.sumOfSquares(), 0);
        assertArrayEquals(expected.mean(), actual.mean(), 0);
        assertEquals(expected.sharpness(), actual.sharpness(), 1e-12);
    }
}
