package io.github.lightlys3ingest.image;

import java.util.Locale;

/**
 * An encoded thumbnail, orientation applied.
 *
 * @param bytes       encoded image
 * @param width       pixel width
 * @param height      pixel height
 * @param contentType MIME type of {@code bytes} (image/jpeg or image/png)
 */
public record Thumbnail(byte[] bytes, int width, int height, String contentType) {

    /** The file extension matching {@link #contentType()} ("jpg" or "png"). */
    public String extension() {
        return extensionFor(contentType);
    }

    /**
     * The usual file extension for an image content type: "jpg" for image/jpeg, "png" for image/png,
     * otherwise the subtype ("webp" for image/webp).
     */
    public static String extensionFor(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return switch (type) {
            case "image/jpeg", "image/jpg" -> "jpg";
            case "image/png" -> "png";
            default -> type.substring(type.indexOf('/') + 1);
        };
    }
}
