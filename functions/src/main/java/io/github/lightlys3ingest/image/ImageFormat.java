package io.github.lightlys3ingest.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats we decode, recognised from their first bytes (never from the file name), and a
 * description of well-known formats we refuse so that rejections say what the object was.
 */
enum ImageFormat {
    JPEG("jpeg"), PNG("png"), GIF("gif"), BMP("bmp"), TIFF("tiff"), WEBP("webp"), PNM("pnm");

    private final String name;

    ImageFormat(String name) {
        this.name = name;
    }

    /** Lower-case name reported in {@link Analysis.Accepted#format()}, also an ImageIO format name. */
    String formatName() {
        return name;
    }

    static Optional<ImageFormat> detect(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (ascii(b, 0, "BM") && b.length >= 26) {
            return Optional.of(BMP);
        }
        if (isTiff(b) && !isTiffBasedRaw(b)) {
            return Optional.of(TIFF);
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        if (b.length >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && isWhitespace(b[2])) {
            return Optional.of(PNM);
        }
        return Optional.empty();
    }

    /** A short human description of content we do not decode, for the rejection detail. */
    static String describeUnsupported(byte[] b) {
        if (ascii(b, 4, "ftyp") && b.length >= 12) {
            String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
            if (brand.startsWith("avi")) {
                return "AVIF image";
            }
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.startsWith("mif")
                    || brand.startsWith("msf")) {
                return "HEIF/HEIC image";
            }
            return "ISO media file (brand '" + brand + "')";
        }
        if (isTiff(b)) {
            return "camera RAW file (TIFF-based)";
        }
        if (ascii(b, 0, "8BPS")) {
            return "Photoshop document";
        }
        if (ascii(b, 0, "%PDF")) {
            return "PDF document";
        }
        if (ascii(b, 0, "IIRO") || ascii(b, 0, "IIRS") || ascii(b, 0, "IIU\0") || ascii(b, 0, "FUJIFILMCCD-RAW")) {
            return "camera RAW file";
        }
        if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL image";
        }
        String head = new String(b, 0, Math.min(b.length, 256), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (head.contains("<svg") || (head.startsWith("<?xml") && head.contains("svg"))) {
            return "SVG document";
        }
        return "content is not a supported image format (jpeg, png, gif, bmp, tiff, webp, pnm)";
    }

    private static boolean isTiff(byte[] b) {
        return startsWith(b, 0, 'I', 'I', 0x2A, 0) || startsWith(b, 0, 'M', 'M', 0, 0x2A)
                || startsWith(b, 0, 'I', 'I', 0x2B, 0) || startsWith(b, 0, 'M', 'M', 0, 0x2B);
    }

    /**
     * Canon CR2 marks itself right after the TIFF header; DNG and other TIFF-based RAWs are recognised from their
     * tags.
     */
    private static boolean isTiffBasedRaw(byte[] b) {
        return ascii(b, 8, "CR");
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean startsWith(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int offset, String expected) {
        if (b.length < offset + expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if ((b[offset + i] & 0xFF) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
