package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import net.coobird.thumbnailator.Thumbnails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The block reducer's arithmetic. */
class BoxReducerTest {

    @Test
    void roundedDivisionByMultiplicationEqualsIntegerDivisionForEveryChannelSum() {
        for (long count = 1; count <= 300; count++) {
            BoxReducer.RoundedDivision division = new BoxReducer.RoundedDivision(count);
            for (long sum = 0; sum <= 255 * count; sum++) {
                assertEquals((sum + count / 2) / count, division.of(sum), sum + " / " + count);
            }
        }
    }

    @Test
    void roundedDivisionIsExactForLargeBlocksToo() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long count = 1 + random.nextInt(1 << (1 + random.nextInt(30)));
            BoxReducer.RoundedDivision division = new BoxReducer.RoundedDivision(count);
            long[] sums = {0, 255 * count, random.nextLong(255 * count + 1), count * random.nextInt(256) - 1};
            for (long sum : sums) {
                if (sum >= 0) {
                    assertEquals((sum + count / 2) / count, division.of(sum), sum + " / " + count);
                }
            }
        }
    }

    @Test
    void oneColumnAndRowLeftOverAtAnOddPositionStillHaveTheirOwnAverage() {
        // 16 = 3 * 5 + 1: the last block holds only column (and row) 15, which an image-wide grid of even
        // positions would never sample
        int size = 16;
        BoxReducer reducer = new BoxReducer(size, size, 5, 2, false);
        for (int y = 0; y < size; y++) {
            byte[] row = new byte[size * 3];
            for (int x = 0; x < size; x++) {
                row[x * 3] = (byte) (x == size - 1 ? 200 : 10);
                row[x * 3 + 1] = (byte) (y == size - 1 ? 100 : 20);
                row[x * 3 + 2] = (byte) 30;
            }
            reducer.addRow(row, 0, 3, 0, 1, 2, -1);
        }

        BufferedImage reduced = reducer.result();

        assertEquals(4, reduced.getWidth());
        assertEquals(4, reduced.getHeight());
        assertEquals(0x0A141E, reduced.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xC8141E, reduced.getRGB(3, 0) & 0xFFFFFF);
        assertEquals(0x0A641E, reduced.getRGB(0, 3) & 0xFFFFFF);
        assertEquals(0xC8641E, reduced.getRGB(3, 3) & 0xFFFFFF);
    }

    private static BufferedImage reduce(BufferedImage image, int factor, int step) {
        RowSource rows = RowSource.of(image);
        BoxReducer reducer = new BoxReducer(rows.width, rows.height, factor, step, rows.hasAlpha());
        for (int y = 0; y < rows.height; y++) {
            rows.load(y);
            reducer.addRow(rows.displayArray(), rows.start(), rows.stride, rows.red, rows.green, rows.blue, rows.alpha);
        }
        return reducer.result();
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        double squares = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                    squares += d * d;
                }
            }
        }
        double mse = squares / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255 * 255 / mse);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Apple_iPhone_4.jpg", "Epson_PhotoPC_3000Z.jpg", "Issue_211.jpg", "Kodak_DX4330.jpg",
        "Konica_Q-M100_2_.jpg", "Minolta_DiMAGE_X.jpg", "Nikon_Coolpix_775.jpg", "Olympus_C720UZ.jpg",
        "Panasonic_DMC-LC33_Lumix_.jpg", "Sony_DCR-PC120E.jpg", "metadata-extractor-dotnet_issue_51.jpg"})
    void subsampledBlocksGiveNearlyTheFullAverageOnPhotos(String photo) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Fixtures.bytes("/images/" + photo)));
        int[] target = ThumbnailEncoder.fit(image.getWidth(), image.getHeight(), 128);
        int factor = BoxReducer.factorFor(image.getWidth(), image.getHeight(), target[0], target[1]);
        assertTrue(factor >= BoxReducer.MIN_SUBSAMPLED_FACTOR, "photo too small to be subsampled: factor " + factor);

        BufferedImage sampled = reduce(image, factor, 2);
        BufferedImage full = reduce(image, factor, 1);
        double reducedPsnr = psnr(sampled, full);
        double thumbnailPsnr = psnr(Thumbnails.of(sampled).forceSize(target[0], target[1]).asBufferedImage(),
                Thumbnails.of(full).forceSize(target[0], target[1]).asBufferedImage());

        // measured: thumbnails 45 to 53 dB, reduced images 39 to 50 dB
        assertTrue(thumbnailPsnr > 40, photo + ": thumbnail " + thumbnailPsnr + " dB");
        assertTrue(reducedPsnr > 35, photo + ": reduced image " + reducedPsnr + " dB");
    }
}
