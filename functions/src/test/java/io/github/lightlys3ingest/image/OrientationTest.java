package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXIF orientation: a 60x30 JPEG with a green block top-left and a red block top-right gets an APP1
 * segment with each orientation; the thumbnail must show the blocks where a viewer would.
 */
class OrientationTest {
    private static final int WIDTH = 60;
    private static final int HEIGHT = 30;

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        // orientation, green corner, red corner (TL, TR, BL, BR) as displayed
        "1, TL, TR", "2, TR, TL", "3, BR, BL", "4, BL, BR",
        "5, TL, BL", "6, TR, BR", "7, BR, TR", "8, BL, TL"})
    void thumbnailShowsTheImageAsAViewerWould(int orientation, String green, String red) throws IOException {
        ImageAnalyzer analyzer =
                new ImageAnalyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "png", true));

        Analysis.Accepted accepted = assertInstanceOf(Analysis.Accepted.class,
                analyzer.analyze(withOrientation(markedJpeg(), orientation), "o.jpg"));

        assertEquals(orientation, accepted.orientation());
        assertEquals(orientation, accepted.exif().get("Orientation"));
        // statistics describe the stored, unrotated pixels
        assertArrayEquals(new int[] {HEIGHT, WIDTH, 3}, accepted.metaData().shape());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(accepted.thumbnail().bytes()));
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? HEIGHT : WIDTH, thumb.getWidth());
        assertEquals(swapped ? WIDTH : HEIGHT, thumb.getHeight());
        assertEquals(thumb.getWidth(), accepted.thumbnail().width());
        assertEquals(thumb.getHeight(), accepted.thumbnail().height());
        assertTrue(isGreen(corner(thumb, green)), "green expected at " + green);
        assertTrue(isRed(corner(thumb, red)), "red expected at " + red);
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, TL, TR", "2, TR, TL", "3, BR, BL", "4, BL, BR",
        "5, TL, BL", "6, TR, BR", "7, BR, TR", "8, BL, TL"})
    void tiffThumbnailShowsTheImageAsAViewerWould(int orientation, String green, String red) throws IOException {
        ImageAnalyzer analyzer = new ImageAnalyzer(
                new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS, 128, "png", true));

        Analysis.Accepted accepted = assertInstanceOf(Analysis.Accepted.class,
                analyzer.analyze(markedTiff(orientation), "o.tif"));

        assertEquals("tiff", accepted.format());
        assertEquals(orientation, accepted.orientation());
        assertArrayEquals(new int[] {HEIGHT, WIDTH, 3}, accepted.metaData().shape());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(accepted.thumbnail().bytes()));
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? HEIGHT : WIDTH, thumb.getWidth());
        assertEquals(swapped ? WIDTH : HEIGHT, thumb.getHeight());
        assertTrue(isGreen(corner(thumb, green)), "green expected at " + green);
        assertTrue(isRed(corner(thumb, red)), "red expected at " + red);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9, 255, 65535})
    void invalidOrientationMeansUpright(int value) {
        Analysis.Accepted accepted = assertInstanceOf(Analysis.Accepted.class,
                new ImageAnalyzer(AnalysisOptions.defaults()).analyze(withOrientation(markedJpeg(), value), "o.jpg"));
        assertEquals(1, accepted.orientation());
        assertEquals(WIDTH, accepted.thumbnail().width());
    }

    private static int corner(BufferedImage image, String corner) {
        int inset = 3;
        int x = corner.endsWith("L") ? inset : image.getWidth() - 1 - inset;
        int y = corner.startsWith("T") ? inset : image.getHeight() - 1 - inset;
        return image.getRGB(x, y);
    }

    private static boolean isGreen(int rgb) {
        return ((rgb >> 8) & 0xFF) > 180 && ((rgb >> 16) & 0xFF) < 80 && (rgb & 0xFF) < 80;
    }

    private static boolean isRed(int rgb) {
        return ((rgb >> 16) & 0xFF) > 180 && ((rgb >> 8) & 0xFF) < 80 && (rgb & 0xFF) < 80;
    }

    static byte[] markedJpeg() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 12, 12);
        g.setColor(Color.RED);
        g.fillRect(WIDTH - 12, 0, 12, 12);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * The marked image as an uncompressed little-endian RGB TIFF whose IFD0 carries the orientation, as
     * cameras and scanners write it (a TIFF has no separate EXIF segment: the tag sits beside the image's own).
     */
    static byte[] markedTiff(int orientation) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(markedJpeg()));
        int entries = 10;
        int ifd = 8;
        int bitsPerSample = ifd + 2 + entries * 12 + 4;
        int pixels = bitsPerSample + 6;
        int stripBytes = WIDTH * HEIGHT * 3;
        ByteBuffer tiff = ByteBuffer.allocate(pixels + stripBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        tiff.putShort((short) entries);
        tiffEntry(tiff, 256, 3, 1, WIDTH);               // ImageWidth
        tiffEntry(tiff, 257, 3, 1, HEIGHT);              // ImageLength
        tiffEntry(tiff, 258, 3, 3, bitsPerSample);       // BitsPerSample -> 8,8,8
        tiffEntry(tiff, 259, 3, 1, 1);                   // Compression: none
        tiffEntry(tiff, 262, 3, 1, 2);                   // PhotometricInterpretation: RGB
        tiffEntry(tiff, 273, 4, 1, pixels);              // StripOffsets
        tiffEntry(tiff, 274, 3, 1, orientation);         // Orientation
        tiffEntry(tiff, 277, 3, 1, 3);                   // SamplesPerPixel
        tiffEntry(tiff, 278, 3, 1, HEIGHT);              // RowsPerStrip
        tiffEntry(tiff, 279, 4, 1, stripBytes);          // StripByteCounts
        tiff.putInt(0);
        tiff.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb = image.getRGB(x, y);
                tiff.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
            }
        }
        return tiff.array();
    }

    private static void tiffEntry(ByteBuffer tiff, int tag, int type, int count, int value) {
        tiff.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            tiff.putShort((short) value).putShort((short) 0);
        } else {
            tiff.putInt(value);
        }
    }

    /** Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with one SHORT Orientation entry) after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] payload = ByteBuffer.allocate(6 + tiff.capacity()).put("Exif\0\0".getBytes()).put(tiff.array()).array();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }
}
