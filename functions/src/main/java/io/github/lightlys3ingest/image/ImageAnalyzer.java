package io.github.lightlys3ingest.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns the bytes of one object into Lightly's metadata, EXIF and a thumbnail. Never throws for bad
 * input: every problem with the bytes becomes an {@link Analysis.Rejected}. Thread-safe.
 *
 * <p>Each image is decoded once, at full resolution, and its rows are read once: the same pass feeds the
 * statistics (on the stored pixels, as Pillow sees them) and a block-averaged copy a few times the
 * thumbnail size, which is then resized, colour-managed, oriented and encoded. Rows of sequential JPEGs
 * are read as the decoder reports them, while they are still in the CPU cache.
 *
 * <p>Before the raster is allocated, what the decode needs is reserved from a {@link MemoryBudget}, so that
 * concurrent analyses wait for heap rather than run out of it. The reservation is released only once nothing
 * refers to the decoded image any more: by {@link #analyze}, after the methods whose frames held the image have
 * returned. Released earlier, while a frame still held it, the next decode could be admitted, allocate its raster
 * and find the heap still holding the previous one: with one 50 MP image filling the budget, an
 * {@link OutOfMemoryError} when the releasing thread had not returned by the time the collector ran.
 */
public final class ImageAnalyzer {
    private final AnalysisOptions options;
    private final Executor helper;
    private final MemoryBudget budget;

    /** Measures the rows on the thread that calls {@link #analyze}; admission from the process's heap budget. */
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
        this(options, helper, MemoryBudget.heap());
    }

    /** @param budget where decodes reserve their memory; {@link MemoryBudget#heap()} outside tests */
    public ImageAnalyzer(AnalysisOptions options, Executor helper, MemoryBudget budget) {
        this.options = options;
        this.helper = helper;
        this.budget = budget;
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
     * @throws CancellationException when interrupted while waiting for heap (the interrupt flag stays set)
     */
    public Analysis analyze(byte[] bytes, String fileName, String thumbFormat) {
        Admission admission = new Admission();
        try {
            try {
                return analyzeBytes(bytes, thumbFormat, admission);
            } catch (OutOfMemoryError e) {
                // G1 keeps each large raster in one run of whole regions, and JDK 17's full collection does not
                // move them: beside other rasters the heap can hold enough bytes but no run long enough. Once
                // more, holding the whole budget, so that no other decode's raster is in the heap.
                admission.release();
                admission.reservation = budget.reserve(budget.bytes()).orElseThrow();
                admission.alone = true;
                return analyzeBytes(bytes, thumbFormat, admission);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for heap to decode " + fileName);
        } catch (Exception | StackOverflowError e) {
            return new Analysis.Rejected(RejectReason.CORRUPT, fileName + ": " + message(e));
        } finally {
            // Here, not in analyzeBytes: only once its frame is gone is the decoded image unreachable.
            admission.release();
        }
    }

    /** The memory reserved for the decode of one analysis, held until {@link #analyze} returns. */
    private static final class Admission {
        private MemoryBudget.Reservation reservation;
        /** Holds the whole budget: the decode reserves nothing more. */
        private boolean alone;

        void release() {
            if (reservation != null) {
                reservation.close();
                reservation = null;
            }
        }
    }

    private Analysis analyzeBytes(byte[] bytes, String thumbFormat, Admission admission)
            throws IOException, InterruptedException {
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
        // The copy without the profile is held during the decode as well as the object's own bytes.
        long encodedBytes = bytes.length + (stored == bytes ? 0 : stored.length);
        Decoded decoded = decode(stored, encodedBytes, format, rowsInOrder ? pass : null, thumbFormat != null,
                admission);
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

    /** A decoded image, or why there is none. */
    private record Decoded(BufferedImage image, Analysis.Rejected rejection) {
        static Decoded rejected(RejectReason reason, String detail) {
            return new Decoded(null, new Analysis.Rejected(reason, detail));
        }
    }

    /**
     * Bytes a decode allocates: the raster of the type the reader decodes into (plus its raw raster when the
     * reader converts from another layout, as for CMYK), the block-reduced copy and the thumbnail's working
     * images (each a few times the thumbnail, 4 bytes a pixel), and the encoded bytes held meanwhile
     * ({@code encodedBytes}: the object's, plus the copy the decoder reads when it differs).
     */
    static long decodeBytes(ImageReader reader, int width, int height, boolean thumbnail, int thumbSize,
                            long encodedBytes) throws IOException {
        long pixels = (long) width * height;
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        ImageTypeSpecifier destination = types != null && types.hasNext() ? types.next() : null;
        long destinationBits = destination == null ? 32 : bitsPerPixel(destination);
        long raster = (pixels * destinationBits + 7) / 8;
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null && destination != null
                && !raw.getColorModel().getColorSpace().equals(destination.getColorModel().getColorSpace())) {
            raster += (pixels * bitsPerPixel(raw) + 7) / 8;
        }
        long thumbnailBytes = 0;
        if (thumbnail) {
            int[] target = ThumbnailEncoder.fit(width, height, thumbSize);
            long factor = BoxReducer.factorFor(width, height, target[0], target[1]);
            long reduced = ((width + factor - 1) / factor) * ((height + factor - 1) / factor);
            thumbnailBytes = reduced * 4 * 4;
        }
        return raster + thumbnailBytes + encodedBytes;
    }

    private static long bitsPerPixel(ImageTypeSpecifier type) {
        SampleModel model = type.getSampleModel(1, 1);
        if (model instanceof MultiPixelPackedSampleModel packed) {
            return packed.getPixelBitStride();
        }
        return (long) DataBuffer.getDataTypeSize(model.getDataType()) * model.getNumDataElements();
    }

    /**
     * @param encodedBytes the encoded bytes held during the decode, {@code bytes} included
     * @param rowListener  told about each decoded row, or null
     * @param thumbnail    whether a thumbnail will be made (it needs memory too)
     * @param admission    takes the reservation, released by {@link #analyze} whatever happens here
     */
    private Decoded decode(byte[] bytes, long encodedBytes, ImageFormat format, SinglePass rowListener,
                           boolean thumbnail, Admission admission) throws IOException, InterruptedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.formatName());
        if (!readers.hasNext()) {
            return Decoded.rejected(RejectReason.UNSUPPORTED_FORMAT,
                    "no decoder for " + format.formatName() + " on the classpath");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                return Decoded.rejected(RejectReason.CORRUPT, "declared size " + width + "x" + height);
            }
            long pixels = (long) width * height;
            if (pixels > options.maxPixels()) {
                return Decoded.rejected(RejectReason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                        "%dx%d = %d pixels, limit %d", width, height, pixels, options.maxPixels()));
            }
            long need = decodeBytes(reader, width, height, thumbnail, options.thumbSize(), encodedBytes);
            if (!admission.alone) {
                Optional<MemoryBudget.Reservation> reservation = budget.reserve(need);
                if (reservation.isEmpty()) {
                    return Decoded.rejected(RejectReason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                            "%dx%d = %d pixels need about %d MiB to decode, more than %s; give the process more heap",
                            width, height, pixels, need >> 20, budget.describe()));
                }
                admission.reservation = reservation.get();
            }
            BufferedImage image = read(reader, rowListener);
            Optional<String> truncation = warnings.stream().filter(ImageAnalyzer::meansTruncated).findFirst();
            if (truncation.isPresent()) {
                return Decoded.rejected(RejectReason.CORRUPT, truncation.get());
            }
            if ((long) image.getWidth() * image.getHeight() > options.maxPixels()) {
                return Decoded.rejected(RejectReason.TOO_MANY_PIXELS,
                        image.getWidth() + "x" + image.getHeight() + " decoded, limit " + options.maxPixels());
            }
            return new Decoded(image, null);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage read(ImageReader reader, SinglePass rowListener) throws IOException {
        if (rowListener == null) {
            return reader.read(0, reader.getDefaultReadParam());
        }
        reader.addIIOReadUpdateListener(rowListener);
        try {
            return reader.read(0, reader.getDefaultReadParam());
        } finally {
            rowListener.decodingEnded();
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
