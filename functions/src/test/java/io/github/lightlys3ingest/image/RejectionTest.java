package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input becomes a rejection with a stable reason; nothing escapes analyze (surefire runs with -Xmx512m). */
class RejectionTest {
    private final ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisOptions.defaults());

    private Analysis.Rejected rejected(byte[] bytes, String name) {
        Analysis analysis = analyzer.analyze(bytes, name);
        return assertInstanceOf(Analysis.Rejected.class, analysis, name + " -> " + analysis);
    }

    @Test
    void zeroBytesAreEmpty() {
        assertEquals(RejectReason.EMPTY, rejected(new byte[0], "empty.jpg").reason());
    }

    @Test
    void textNamedJpgIsUnsupported() {
        byte[] text = "hello, this is not an image\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(RejectReason.UNSUPPORTED_FORMAT, rejected(text, "photo.jpg").reason());
    }

    @Test
    void heicAvifPsdAndSvgAreUnsupportedAndNamed() {
        byte[] heic = ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic");
        byte[] avif = ascii("\0\0\0\u001cftypavif\0\0\0\0avifmif1");
        byte[] psd = ascii("8BPS\0\u0001\0\0\0\0\0\0\0\u0003");
        byte[] svg = ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>");

        assertTrue(rejected(heic, "a.jpg").detail().contains("HEIC"));
        assertTrue(rejected(avif, "a.png").detail().contains("AVIF"));
        assertTrue(rejected(psd, "a.psd").detail().contains("Photoshop"));
        Analysis.Rejected svgRejection = rejected(svg, "a.svg");
        assertEquals(RejectReason.UNSUPPORTED_FORMAT, svgRejection.reason());
        assertTrue(svgRejection.detail().contains("SVG"));
    }

    @Test
    void cr2IsUnsupportedEvenThoughItIsTiff() {
        byte[] cr2 = ascii("II*\0\u0010\0\0\0CR\u0002\0");
        assertEquals(RejectReason.UNSUPPORTED_FORMAT, rejected(Arrays.copyOf(cr2, 64), "IMG_0001.CR2").reason());
    }

    @Test
    void truncatedJpegIsCorruptAlthoughTheDecoderFillsItWithGrey() {
        Analysis.Rejected r = rejected(Fixtures.bytes("/images-edge/truncated.jpg"), "truncated.jpg");
        assertEquals(RejectReason.CORRUPT, r.reason());
        assertTrue(r.detail().toLowerCase().contains("premature end"), r.detail());
    }

    @Test
    void truncatedPngIsCorruptWithTheDecodersMessage() {
        byte[] png = Fixtures.bytes("/images-edge/rgb.png");
        Analysis.Rejected r = rejected(Arrays.copyOf(png, png.length / 2), "half.png");
        assertEquals(RejectReason.CORRUPT, r.reason());
        assertTrue(r.detail().contains("PNG"), r.detail());
    }

    @Test
    void pngDeclaringTenGigapixelsIsRejectedBeforeDecoding() {
        byte[] bomb = Fixtures.bytes("/images-edge/huge_dimensions.png");
        assertTrue(bomb.length < 1024);

        Analysis.Rejected r = rejected(bomb, "bomb.png");

        assertEquals(RejectReason.TOO_MANY_PIXELS, r.reason());
        assertTrue(r.detail().contains("100000x100000"), r.detail());
    }

    @Test
    void pixelLimitComesFromTheOptions() {
        ImageAnalyzer strict = new ImageAnalyzer(new AnalysisOptions(640L * 480 - 1, 128, "jpg", true));
        Analysis analysis = strict.analyze(Fixtures.bytes("/images/FujiFilm_MX1700.jpg"), "fuji.jpg");
        assertEquals(RejectReason.TOO_MANY_PIXELS, assertInstanceOf(Analysis.Rejected.class, analysis).reason());
    }

    @Test
    void headerOnlyFilesAreCorrupt() {
        assertEquals(RejectReason.CORRUPT, rejected(ascii("GIF89a"), "x.gif").reason());
        assertEquals(RejectReason.CORRUPT,
                rejected(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "x.jpg").reason());
        assertEquals(RejectReason.CORRUPT, rejected(ascii("P6\n"), "x.ppm").reason());
    }

    /** Every fixture cut short and bit-flipped: each must come back as an Analysis, never an exception. */
    @Test
    void damagedVersionsOfEveryFormatNeverThrow() {
        String[] fixtures = {"/images/Kodak_DX4330.jpg", "/images-edge/progressive.jpg", "/images-edge/cmyk.jpg",
            "/images-edge/rgb.png", "/images-edge/rgb16.png", "/images-edge/palette_transparency.png",
            "/images-edge/animated.gif", "/images-edge/image.bmp", "/images-edge/image.tif",
            "/images-edge/lossless.webp", "/images-edge/lossy.webp", "/images-edge/image.ppm",
            "/images-edge/image.pgm", "/images-edge/garbage_exif.jpg", "/images-edge/huge_dimensions.png"};
        Random random = new Random(42);
        int analysed = 0;
        for (String fixture : fixtures) {
            byte[] original = Fixtures.bytes(fixture);
            for (int cut : new int[] {1, 2, 8, 16, 33, original.length / 3, original.length - 1}) {
                assertNotNull(analyzer.analyze(Arrays.copyOf(original, Math.max(1, Math.min(cut, original.length))),
                        fixture));
                analysed++;
            }
            for (int round = 0; round < 12; round++) {
                byte[] damaged = original.clone();
                for (int flips = 0; flips < 1 + round; flips++) {
                    int at = Math.min(damaged.length - 1, 2 + random.nextInt(Math.min(damaged.length, 600)));
                    damaged[at] = (byte) random.nextInt(256);
                }
                assertNotNull(analyzer.analyze(damaged, fixture));
                analysed++;
            }
        }
        assertEquals(fixtures.length * 19, analysed);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
