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
 * Reads a decoded image row by row as 8-bit RGB the way Pillow's {@code convert('RGB')} sees it (the
 * stored values, no colour management, alpha dropped, 16-bit grey clipped, other 16-bit samples reduced
 * to their high byte), plus the values a viewer should see for the thumbnail and the alpha channel.
 * Common layouts are read straight from the raster; anything else goes through {@link BufferedImage#getRGB}.
 */
abstract class RowSource {
    final int width;
    final int height;
    final boolean hasAlpha;

    private RowSource(BufferedImage image, boolean hasAlpha) {
        this.width = image.getWidth();
        this.height = image.getHeight();
        this.hasAlpha = hasAlpha;
    }

    /** True when the thumbnail must not reuse the statistics row (see {@link #read}). */
    boolean displayDiffers() {
        return false;
    }

    /**
     * Fills row {@code y}.
     *
     * @param rgb     3 * width bytes for the statistics (Pillow's RGB)
     * @param display 3 * width bytes of what a viewer sees; the same array as {@code rgb} unless {@link #displayDiffers()}
     * @param alpha   width bytes of alpha, or null when the caller does not need it
     */
    abstract void read(int y, byte[] rgb, byte[] display, byte[] alpha);

    static RowSource of(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        SampleModel sm = raster.getSampleModel();
        boolean plainComponents = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && sm instanceof PixelInterleavedSampleModel && raster.getParent() == null
                && sm.getNumBands() == cm.getNumComponents() && (cm.getNumColorComponents() == 3
                ? cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
                : cm.getNumColorComponents() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY);
        if (plainComponents && sm.getDataType() == DataBuffer.TYPE_BYTE) {
            return new Interleaved8(image);
        }
        if (plainComponents && sm.getDataType() == DataBuffer.TYPE_USHORT) {
            return new Interleaved16(image);
        }
        if (cm instanceof IndexColorModel) {
            return new Indexed(image);
        }
        return new Generic(image);
    }

    /** 8-bit samples interleaved in a byte array: JPEG, 8-bit PNG, TIFF, WebP, PNM. */
    private static final class Interleaved8 extends RowSource {
        private final byte[] data;
        private final int[] offsets;
        private final int pixelStride;
        private final int scanlineStride;
        private final boolean grey;

        Interleaved8(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) image.getRaster().getSampleModel();
            DataBufferByte buffer = (DataBufferByte) image.getRaster().getDataBuffer();
            data = buffer.getData();
            int[] bandOffsets = sm.getBandOffsets();
            offsets = new int[bandOffsets.length];
            for (int b = 0; b < bandOffsets.length; b++) {
                offsets[b] = bandOffsets[b] + buffer.getOffset();
            }
            pixelStride = sm.getPixelStride();
            scanlineStride = sm.getScanlineStride();
            grey = image.getColorModel().getNumColorComponents() == 1;
        }

        @Override
        void read(int y, byte[] rgb, byte[] display, byte[] alpha) {
            int base = y * scanlineStride;
            if (grey) {
                for (int x = 0, p = base + offsets[0], i = 0; x < width; x++, p += pixelStride, i += 3) {
                    byte v = data[p];
                    rgb[i] = v;
                    rgb[i + 1] = v;
                    rgb[i + 2] = v;
                }
            } else {
                int r = offsets[0], g = offsets[1], b = offsets[2];
                for (int x = 0, p = base, i = 0; x < width; x++, p += pixelStride, i += 3) {
                    rgb[i] = data[p + r];
                    rgb[i + 1] = data[p + g];
                    rgb[i + 2] = data[p + b];
                }
            }
            if (alpha != null && hasAlpha) {
                int a = offsets[offsets.length - 1];
                for (int x = 0, p = base + a; x < width; x++, p += pixelStride) {
                    alpha[x] = data[p];
                }
            }
        }
    }

    /**
     * 16-bit samples. Pillow opens 16-bit grey as 32-bit integers and clips them to 0..255 when converting
     * to RGB; every other 16-bit layout keeps the high byte. The thumbnail always uses the high byte.
     */
    private static final class Interleaved16 extends RowSource {
        private final short[] data;
        private final int[] offsets;
        private final int pixelStride;
        private final int scanlineStride;
        private final boolean greyOnly;
        private final boolean grey;

        Interleaved16(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) image.getRaster().getSampleModel();
            DataBufferUShort buffer = (DataBufferUShort) image.getRaster().getDataBuffer();
            data = buffer.getData();
            int[] bandOffsets = sm.getBandOffsets();
            offsets = new int[bandOffsets.length];
            for (int b = 0; b < bandOffsets.length; b++) {
                offsets[b] = bandOffsets[b] + buffer.getOffset();
            }
            pixelStride = sm.getPixelStride();
            scanlineStride = sm.getScanlineStride();
            grey = image.getColorModel().getNumColorComponents() == 1;
            greyOnly = grey && sm.getNumBands() == 1;
        }

        @Override
        boolean displayDiffers() {
            return greyOnly;
        }

        @Override
        void read(int y, byte[] rgb, byte[] display, byte[] alpha) {
            int base = y * scanlineStride;
            for (int x = 0, p = base, i = 0; x < width; x++, p += pixelStride, i += 3) {
                if (grey) {
                    int v = data[p + offsets[0]] & 0xFFFF;
                    byte high = (byte) (v >> 8);
                    byte stored = greyOnly ? (byte) Math.min(v, 255) : high;
                    rgb[i] = stored;
                    rgb[i + 1] = stored;
                    rgb[i + 2] = stored;
                    display[i] = high;
                    display[i + 1] = high;
                    display[i + 2] = high;
                } else {
                    rgb[i] = (byte) ((data[p + offsets[0]] & 0xFFFF) >> 8);
                    rgb[i + 1] = (byte) ((data[p + offsets[1]] & 0xFFFF) >> 8);
                    rgb[i + 2] = (byte) ((data[p + offsets[2]] & 0xFFFF) >> 8);
                }
            }
            if (alpha != null && hasAlpha) {
                int a = offsets[offsets.length - 1];
                for (int x = 0, p = base + a; x < width; x++, p += pixelStride) {
                    alpha[x] = (byte) ((data[p] & 0xFFFF) >> 8);
                }
            }
        }
    }

    /** Palette images (GIF, palette PNG, low-bit-depth grey PNG): Pillow looks colours up and ignores transparency. */
    private static final class Indexed extends RowSource {
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
        void read(int y, byte[] rgb, byte[] display, byte[] alpha) {
            raster.getSamples(0, y, width, 1, 0, indices);
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                int index = indices[x] & mask;
                rgb[i] = reds[index];
                rgb[i + 1] = greens[index];
                rgb[i + 2] = blues[index];
            }
            if (alpha != null && hasAlpha) {
                for (int x = 0; x < width; x++) {
                    alpha[x] = alphas[indices[x] & mask];
                }
            }
        }
    }

    /** Any other layout (BMP 16-bit, CMYK converted by the decoder, packed pixels...), through Java2D. */
    private static final class Generic extends RowSource {
        private final BufferedImage image;
        private final int[] argb;

        Generic(BufferedImage image) {
            super(image, image.getColorModel().hasAlpha());
            this.image = image;
            argb = new int[width];
        }

        @Override
        void read(int y, byte[] rgb, byte[] display, byte[] alpha) {
            image.getRGB(0, y, width, 1, argb, 0, width);
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                int c = argb[x];
                rgb[i] = (byte) (c >> 16);
                rgb[i + 1] = (byte) (c >> 8);
                rgb[i + 2] = (byte) c;
            }
            if (alpha != null && hasAlpha) {
                for (int x = 0; x < width; x++) {
                    alpha[x] = (byte) (argb[x] >>> 24);
                }
            }
        }
    }
}
