package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every accepted format decodes, and thumbnails are what their content type says, sized and coloured right. */
class FormatsAndThumbnailsTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private static Analysis.Accepted accept(String resource, AnalysisOptions options) {
        Analysis analysis = new ImageAnalyzer(options).analyze(Fixtures.bytes(resource), resource);
        return assertInstanceOf(Analysis.Accepted.class, analysis, resource + " -> " + analysis);
    }

    private static AnalysisOptions thumbs(String format) {
        return new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, format, true);
    }

    private static BufferedImage decode(Thumbnail thumbnail) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
    }

    private static String sniffedType(byte[] bytes) {
        if ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            return ThumbnailEncoder.JPEG;
        }
        for (int i = 0; i < PNG_MAGIC.length; i++) {
            if (bytes[i] != PNG_MAGIC[i]) {
                return "unknown";
            }
        }
        return ThumbnailEncoder.PNG;
    }

    @ParameterizedTest
    @CsvSource({
        "/images-edge/progressive.jpg, jpeg", "/images-edge/cmyk.jpg, jpeg", "/images-edge/grey.jpg, jpeg",
        "/images-edge/rgb16.png, png", "/images-edge/grey16.png, png", "/images-edge/palette_transparency.png, png",
        "/images-edge/animated.gif, gif", "/images-edge/image.bmp, bmp", "/images-edge/image.tif, tiff",
        "/images-edge/lossless.webp, webp", "/images-edge/lossy.webp, webp", "/images-edge/image.ppm, pnm",
        "/images-edge/image.pgm, pnm"})
    void formatIsDetectedFromContent(String resource, String format) throws IOException {
        Analysis.Accepted accepted = accept(resource, thumbs("jpg"));

        assertEquals(format, accepted.format());
        assertEquals(ThumbnailEncoder.JPEG, sniffedType(accepted.thumbnail().bytes()));
        assertNotNull(decode(accepted.thumbnail()));
    }

    @Test
    void extensionDoesNotMatter() {
        byte[] png = Fixtures.bytes("/images-edge/rgb.png");
        Analysis analysis = new ImageAnalyzer(AnalysisOptions.defaults()).analyze(png, "looks-like.jpg");
        assertEquals("png", assertInstanceOf(Analysis.Accepted.class, analysis).format());
    }

    @Test
    void largePhotoThumbnailFitsTheBoxKeepingTheAspectRatio() throws IOException {
        Analysis.Accepted accepted = accept("/images/Kodak_DX4330.jpg", thumbs("jpg")); // 2160 x 1440

        Thumbnail thumbnail = accepted.thumbnail();
        assertEquals(128, thumbnail.width());
        assertEquals(85, thumbnail.height());
        assertEquals("image/jpeg", thumbnail.contentType());
        assertEquals("jpg", thumbnail.extension());
        BufferedImage image = decode(thumbnail);
        assertEquals(128, image.getWidth());
        assertEquals(85, image.getHeight());
    }

    @Test
    void smallImagesAreNeverUpscaled() {
        Analysis.Accepted accepted = accept("/images-edge/rgb.png", thumbs("png")); // 67 x 41
        assertEquals(67, accepted.thumbnail().width());
        assertEquals(41, accepted.thumbnail().height());
    }

    @Test
    void thumbnailAveragesTheImageFaithfully() throws IOException {
        Analysis.Accepted accepted = accept("/images/Nikon_Coolpix_775.jpg", thumbs("png"));

        double[] thumbMean = meanRgb(decode(accepted.thumbnail()));
        for (int c = 0; c < 3; c++) {
            assertEquals(accepted.metaData().mean()[c] * 255, thumbMean[c], 2.0, "channel " + c);
        }
    }

    @Test
    void alphaIsKeptInPngAndForFormatsImageIoCannotWrite() throws IOException {
        for (String format : new String[] {"png", "webp", "tif"}) {
            Thumbnail thumbnail = accept("/images-edge/rgba.png", thumbs(format)).thumbnail();
            assertEquals(ThumbnailEncoder.PNG, thumbnail.contentType(), format);
            assertEquals(ThumbnailEncoder.PNG, sniffedType(thumbnail.bytes()), format);
            assertTrue(decode(thumbnail).getColorModel().hasAlpha(), format);
        }
        Thumbnail palette = accept("/images-edge/palette_transparency.png", thumbs("png")).thumbnail();
        assertTrue(decode(palette).getColorModel().hasAlpha());
    }

    @Test
    void jpegIsWrittenForJpgAndForOpaqueImagesInOtherFormats() {
        for (String format : new String[] {"jpg", "JPEG", "webp", "bmp", "gif", "ppm"}) {
            Thumbnail thumbnail = accept("/images-edge/rgb.png", thumbs(format)).thumbnail();
            assertEquals(ThumbnailEncoder.JPEG, thumbnail.contentType(), format);
            assertEquals(ThumbnailEncoder.JPEG, sniffedType(thumbnail.bytes()), format);
        }
        Thumbnail flattened = accept("/images-edge/rgba.png", thumbs("jpg")).thumbnail();
        assertEquals(ThumbnailEncoder.JPEG, sniffedType(flattened.bytes()));
    }

    @Test
    void metadataModeMakesNoThumbnail() {
        AnalysisOptions metadataOnly = new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "jpg", false);
        assertNull(accept("/images/FujiFilm_MX1700.jpg", metadataOnly).thumbnail());
    }

    @Test
    void cmykJpegThumbnailIsNotInverted() throws IOException {
        Analysis.Accepted accepted = accept("/images-edge/cmyk.jpg", thumbs("png"));
        double[] thumbMean = meanRgb(decode(accepted.thumbnail()));
        for (int c = 0; c < 3; c++) {
            assertEquals(accepted.metaData().mean()[c] * 255, thumbMean[c], 6.0, "channel " + c);
        }
    }

    /**
     * The fixture carries a linear-RGB profile: Pillow (so the statistics) ignores it, a viewer applies it,
     * which brightens mid-tones considerably.
     */
    @Test
    void iccTaggedJpegThumbnailIsColourManagedWhileStatisticsAreNot() throws IOException {
        Analysis.Accepted accepted = accept("/images-edge/icc_linear_rgb.jpg", thumbs("png"));

        double[] thumbMean = meanRgb(decode(accepted.thumbnail()));
        double storedMean = accepted.metaData().mean()[1] * 255;
        assertTrue(thumbMean[1] > storedMean + 30, "managed " + thumbMean[1] + " vs stored " + storedMean);
    }

    @Test
    void sixteenBitGreyThumbnailShowsTheWholeRangeWhileStatisticsClipLikePillow() throws IOException {
        Analysis.Accepted accepted = accept("/images-edge/grey16.png", thumbs("png")); // ramp 0..65535

        assertTrue(accepted.metaData().mean()[0] > 0.95, "Pillow clips 16-bit grey at 255");
        assertEquals(127.5, meanRgb(decode(accepted.thumbnail()))[0], 3.0);
    }

    @Test
    void contentTypeExtensions() {
        assertEquals("jpg", Thumbnail.extensionFor("image/jpeg"));
        assertEquals("png", Thumbnail.extensionFor("IMAGE/PNG"));
        assertEquals("webp", Thumbnail.extensionFor("image/webp"));
    }

    @Test
    void concurrentAnalysesGiveTheSameResults() throws Exception {
        byte[] bytes = Fixtures.bytes("/images/Olympus_C720UZ.jpg");
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisOptions.defaults());
        Analysis.Accepted reference = assertInstanceOf(Analysis.Accepted.class, analyzer.analyze(bytes, "a"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Analysis>>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> analyzer.analyze(bytes, "a")));
            }
            for (var future : futures) {
                Analysis.Accepted other = assertInstanceOf(Analysis.Accepted.class, future.get());
                assertEquals(reference.metaData().sharpness(), other.metaData().sharpness());
                assertEquals(reference.metaData().mean()[0], other.metaData().mean()[0]);
                assertFalse(other.exif().isEmpty());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double[] meanRgb(BufferedImage image) {
        double[] sum = new double[3];
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
