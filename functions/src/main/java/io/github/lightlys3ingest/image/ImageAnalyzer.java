package io.github.lightlys3ingest.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns the bytes of one object into Lightly's metadata, EXIF and a thumbnail. Never throws for bad
 * input: every problem with the bytes becomes an {@link Analysis.Rejected}. Thread-safe.
 *
 * <p>Each image is decoded once, at full resolution, and its rows are read once: the same pass feeds the
 * statistics (on the stored pixels, as Pillow sees them) and a block-averaged copy a few times the
 * thumbnail size, which is then resized, colour-managed, oriented and encoded. Rows of sequential JPEGs
 * are read as the decoder reports them, while they are still in the CPU cache.
 */
public final class ImageAnalyzer {
    private final AnalysisOptions options;
    private final Executor helper;

    /** Measures the rows on the thread that calls {@link #analyze}. */
    public ImageAnalyzer(AnalysisOptions options) {
        this(options, null);
    }

    /**
     * @param helper where rows of sequential JPEGs are measured while the calling thread decodes the next
     *               ones; null to do everything on the calling thread. Shortens an analysis when a core is
     *               idle (one image at a time on two cores), costs slightly more CPU, and gains nothing when
     *               every core already analyses an image. Never waited for before it has started: a busy
     *               executor only means the calling thread measures the rows itself.
     */
    public ImageAnalyzer(AnalysisOptions options, Executor helper) {
        this.options = options;
        this.helper = helper;
    }

    public AnalysisOptions options() {
        return options;
    }

    /**
     * Analyses one object.
     *
     * @param bytes    the whole object
     * @param fileName name used in messages only; the format is detected from the content
     */
    public Analysis analyze(byte[] bytes, String fileName) {
        return analyze(bytes, fileName, options.thumbnails() ? options.thumbFormat() : null);
    }

    /**
     * Analyses one object with a thumbnail format chosen per object (the thumb-suffix template's
     * extension usually follows the object's own).
     *
     * @param thumbFormat extension naming the wanted thumbnail format; null for no thumbnail (metadata mode)
     */
    public Analysis analyze(byte[] bytes, String fileName, String thumbFormat) {
        try {
            return analyzeBytes(bytes, thumbFormat);
        } catch (Exception | StackOverflowError e) {
            return new Analysis.Rejected(RejectReason.CORRUPT, fileName + ": " + message(e));
        }
    }

    private Analysis analyzeBytes(byte[] bytes, String thumbFormat) throws IOException {
        if (bytes == null || bytes.length == 0) {
            return new Analysis.Rejected(RejectReason.EMPTY, "the object has zero bytes");
        }
        Optional<ImageFormat> detected = ImageFormat.detect(bytes);
        if (detected.isEmpty()) {
            return new Analysis.Rejected(RejectReason.UNSUPPORTED_FORMAT, ImageFormat.describeUnsupported(bytes));
        }
        ImageFormat format = detected.get();
        ExifData exif = ExifData.read(bytes);
        if (format == ImageFormat.TIFF && exif.cameraRaw()) {
            return new Analysis.Rejected(RejectReason.UNSUPPORTED_FORMAT, "camera RAW file (TIFF-based)");
        }
        byte[] stored = bytes;
        byte[] iccProfile = null;
        boolean rowsInOrder = false;
        if (format == ImageFormat.JPEG) {
            JpegStructure jpeg = JpegStructure.parse(bytes);
            // Pillow ignores the profile; the decoder would apply it. CMYK/YCCK keep theirs: without it
            // the decoder's CMYK conversion would be a guess (their statistics then follow the managed colours).
            if (jpeg.iccProfile() != null && jpeg.components() != 4) {
                stored = jpeg.withoutIccSegments(bytes);
                iccProfile = jpeg.components() == 3 ? jpeg.iccProfile() : null;
            }
            rowsInOrder = jpeg.sequential() && (jpeg.components() == 1 || jpeg.components() == 3);
        }
        SinglePass pass = new SinglePass(thumbFormat != null, options.thumbSize(), helper);
        // Other decoders, and progressive JPEG (decoded once per scan when listened to), are measured afterwards
        Decoded decoded = decode(stored, format, rowsInOrder ? pass : null);
        if (decoded.rejection() != null) {
            return decoded.rejection();
        }
        pass.finish(decoded.image());
        SampleMetaData metaData = pass.statistics().result(bytes.length);
        int[] target = pass.target();
        Thumbnail thumbnail = pass.reducer() == null ? null : ThumbnailEncoder.encode(pass.reducer().result(),
                target[0], target[1], exif.orientation(), iccProfile, thumbFormat);
        return new Analysis.Accepted(format.formatName(), metaData, exif.tags(), exif.orientation(), thumbnail);
    }

    private record Decoded(BufferedImage image, Analysis.Rejected rejection) {
    }

    /** @param rowListener told about each decoded row, or null */
    private Decoded decode(byte[] bytes, ImageFormat format, SinglePass rowListener) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.formatName());
        if (!readers.hasNext()) {
            return new Decoded(null, new Analysis.Rejected(RejectReason.UNSUPPORTED_FORMAT,
                    "no decoder for " + format.formatName() + " on the classpath"));
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                return new Decoded(null, new Analysis.Rejected(RejectReason.CORRUPT,
                        "declared size " + width + "x" + height));
            }
            if (width * height > options.maxPixels()) {
                return new Decoded(null, new Analysis.Rejected(RejectReason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                        "%dx%d = %d pixels, limit %d", width, height, width * height, options.maxPixels())));
            }
            BufferedImage image;
            if (rowListener == null) {
                image = reader.read(0, reader.getDefaultReadParam());
            } else {
                reader.addIIOReadUpdateListener(rowListener);
                try {
                    image = reader.read(0, reader.getDefaultReadParam());
                } finally {
                    rowListener.decodingEnded();
                }
            }
            Optional<String> truncation = warnings.stream().filter(ImageAnalyzer::meansTruncated).findFirst();
            if (truncation.isPresent()) {
                return new Decoded(null, new Analysis.Rejected(RejectReason.CORRUPT, truncation.get()));
            }
            if ((long) image.getWidth() * image.getHeight() > options.maxPixels()) {
                return new Decoded(null, new Analysis.Rejected(RejectReason.TOO_MANY_PIXELS,
                        image.getWidth() + "x" + image.getHeight() + " decoded, limit " + options.maxPixels()));
            }
            return new Decoded(image, null);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decoders fill what is missing from a truncated JPEG with grey and only warn; Pillow refuses such
     * files ("image file is truncated"). A missing EOI marker alone, after complete scan data, is harmless.
     */
    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || (w.contains("truncated") && !w.contains("missing eoi"));
    }

    private static String message(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage());
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            text.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
            text.append(')');
        }
        return text.toString();
    }
}
