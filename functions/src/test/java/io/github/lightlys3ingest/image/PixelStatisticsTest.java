package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
}
