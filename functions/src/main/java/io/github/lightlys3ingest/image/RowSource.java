package io.github.lightlys3ingest.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Presents a decoded image row by row as 8-bit samples the way Pillow's {@code convert('RGB')} sees
 * them (stored values, no colour management, alpha ignored, 16-bit grey clipped, other 16-bit samples
 * reduced to their high byte), plus the alpha channel and what a viewer should see, for the thumbnail.
 *
 * <p>A row is {@link #array()} from {@link #start()}, one pixel every {@link #stride} bytes, with the
 * channels at offsets {@link #red}, {@link #green}, {@link #blue} and {@link #alpha} (-1 without alpha).
 * 8-bit interleaved images (JPEG, most PNG, TIFF, WebP, PNM) are read in place from the raster, with
 * no copy; other layouts are converted into a row buffer.
 */
abstract class RowSource {
    final int width;
    final int height;
    final int stride;
    final int red;
    final int green;
    final int blue;
    final int alpha;

    private RowSource(BufferedImage image, int stride, int red, int green, int blue, int alpha) {
        this.width = image.getWidth();
        this.height = image.getHeight();
        this.stride = stride;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.alpha = alpha;
    }

    boolean hasAlpha() {
        return alpha >= 0;
    }

    /** Makes row {@code y} available through {@link #array()} and {@link #start()}. */
    abstract void load(int y);

    abstract byte[] array();

    abstract int start();

    /** The samples a viewer sees, same layout; the statistics samples unless Pillow's conversion distorts them. */
    byte[] displayArray() {
        return array();
    }

    static RowSource of(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        SampleModel sm = raster.getSampleModel();
        boolean plainComponents = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && sm instanceof PixelInterleavedSampleModel && raster.getParent() == null
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && sm.getNumBands() == cm.getNumComponents() && (cm.getNumColorComponents() == 3
                ? cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
                : cm.getNumColorComponents() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY);
        if (plainComponents && sm.getDataType() == DataBuffer.TYPE_BYTE) {
            return new InPlace(image);
        }
        if (plainComponents && sm.getDataType() == DataBuffer.TYPE_USHORT) {
            return new Sixteen(image);
        }
        if (cm instanceof IndexColorModel) {
            return new Indexed(image);
        }
        return new Generic(image);
    }

    /** 8-bit samples interleaved in a byte array, read where the decoder put them. */
    private static final class InPlace extends RowSource {
        private final byte[] data;
        private final int scanlineStride;
        private final int bufferOffset;
        private int start;

        InPlace(BufferedImage image) {
            this(image, (PixelInterleavedSampleModel) image.getRaster().getSampleModel());
        }

        private InPlace(BufferedImage image, PixelInterleavedSampleModel sm) {
            super(image, sm.getPixelStride(), sm.getBandOffsets()[0],
                    sm.getBandOffsets()[grey(image) ? 0 : 1], sm.getBandOffsets()[grey(image) ? 0 : 2],
                    image.getColorModel().hasAlpha() ? sm.getBandOffsets()[sm.getNumBands() - 1] : -1);
            DataBufferByte buffer = (DataBufferByte) image.getRaster().getDataBuffer();
            data = buffer.getData();
            bufferOffset = buffer.getOffset();
            scanlineStride = sm.getScanlineStride();
        }

        private static boolean grey(BufferedImage image) {
            return image.getColorModel().getNumColorComponents() == 1;
        }

        @Override
        void load(int y) {
            start = bufferOffset + y * scanlineStride;
        }

        @Override
        byte[] array() {
            return data;
        }

        @Override
        int start() {
            return start;
        }
    }

    /** Layouts converted into an RGBA (or RGB) row buffer. */
    private abstract static class Converted extends RowSource {
        final byte[] row;

        Converted(BufferedImage image, boolean alpha) {
            super(image, alpha ? 4 : 3, 0, 1, 2, alpha ? 3 : -1);
            row = new byte[width * stride];
        }

        @Override
        byte[] array() {
            return row;
        }

        @Override
        int start() {
            return 0;
        }
    }

    /**
     * 16-bit samples. Pillow opens 16-bit grey as 32-bit integers and clips them to 0..255 when converting
     * to RGB; every other 16-bit layout keeps the high byte. The thumbnail always uses the high byte.
     */
    private static final class Sixteen extends Converted {
        private final short[] data;
        private final int[] offsets;
        private final int pixelStride;
        private final int scanlineStride;
        private final boolean grey;
        private final byte[] display;

        Sixteen(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) image.getRaster().getSampleModel();
            DataBufferUShort buffer = (DataBufferUShort) image.getRaster().getDataBuffer();
            data = buffer.getData();
            offsets = sm.getBandOffsets().clone();
            for (int b = 0; b < offsets.length; b++) {
                offsets[b] += buffer.getOffset();
            }
            pixelStride = sm.getPixelStride();
            scanlineStride = sm.getScanlineStride();
            grey = image.getColorModel().getNumColorComponents() == 1;
            display = grey && sm.getNumBands() == 1 ? new byte[row.length] : row;
        }

        @Override
        byte[] displayArray() {
            return display;
        }

        @Override
        void load(int y) {
            int base = y * scanlineStride;
            for (int x = 0, p = base, i = 0; x < width; x++, p += pixelStride, i += stride) {
                if (grey) {
                    int v = data[p + offsets[0]] & 0xFFFF;
                    byte high = (byte) (v >> 8);
                    byte stored = display != row ? (byte) Math.min(v, 255) : high;
                    row[i] = stored;
                    row[i + 1] = stored;
                    row[i + 2] = stored;
                    display[i] = high;
                    display[i + 1] = high;
                    display[i + 2] = high;
                } else {
                    row[i] = (byte) ((data[p + offsets[0]] & 0xFFFF) >> 8);
                    row[i + 1] = (byte) ((data[p + offsets[1]] & 0xFFFF) >> 8);
                    row[i + 2] = (byte) ((data[p + offsets[2]] & 0xFFFF) >> 8);
                }
                if (alpha >= 0) {
                    row[i + 3] = (byte) ((data[p + offsets[offsets.length - 1]] & 0xFFFF) >> 8);
                }
            }
        }
    }

    /** Palette images (GIF, palette PNG, low-bit-depth grey PNG): Pillow looks colours up and ignores transparency. */
    private static final class Indexed extends Converted {
        private final Raster raster;
        private final byte[] reds;
        private final byte[] greens;
        private final byte[] blues;
        private final byte[] alphas;
        private final int[] indices;
        private final int mask;

        Indexed(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            IndexColorModel cm = (IndexColorModel) image.getColorModel();
            raster = image.getRaster();
            mask = (1 << Math.min(Math.max(cm.getPixelSize(), 1), 16)) - 1;
            reds = new byte[Math.max(mask + 1, cm.getMapSize())];
            greens = new byte[reds.length];
            blues = new byte[reds.length];
            alphas = new byte[reds.length];
            cm.getReds(reds);
            cm.getGreens(greens);
            cm.getBlues(blues);
            cm.getAlphas(alphas);
            indices = new int[width];
        }

        @Override
        void load(int y) {
            raster.getSamples(0, y, width, 1, 0, indices);
            for (int x = 0, i = 0; x < width; x++, i += stride) {
                int index = indices[x] & mask;
                row[i] = reds[index];
                row[i + 1] = greens[index];
                row[i + 2] = blues[index];
                if (alpha >= 0) {
                    row[i + 3] = alphas[index];
                }
            }
        }
    }

    /** Any other layout (BMP 16-bit, CMYK converted by the decoder, packed pixels...), through Java2D. */
    private static final class Generic extends Converted {
        private final BufferedImage image;
        private final int[] argb;

        Generic(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            this.image = image;
            argb = new int[width];
        }

        @Override
        void load(int y) {
            image.getRGB(0, y, width, 1, argb, 0, width);
            for (int x = 0, i = 0; x < width; x++, i += stride) {
                int c = argb[x];
                row[i] = (byte) (c >> 16);
                row[i + 1] = (byte) (c >> 8);
                row[i + 2] = (byte) c;
                if (alpha >= 0) {
                    row[i + 3] = (byte) (c >>> 24);
                }
            }
        }
    }
}
