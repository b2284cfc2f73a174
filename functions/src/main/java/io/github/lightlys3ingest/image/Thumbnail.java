package io.github.lightlys3ingest.image;

/**
 * An encoded thumbnail, orientation applied.
 *
 * @param bytes       encoded image
 * @param width       pixel width
 * @param height      pixel height
 * @param contentType MIME type of {@code bytes} (image/jpeg or image/png)
 */
public record Thumbnail(byte[] bytes, int width, int height, String contentType) {
}
