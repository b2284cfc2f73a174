package io.github.lightlys3ingest.image;

/**
 * Limits and thumbnail settings for {@link ImageAnalyzer}.
 *
 * @param maxPixels      declared width x height above which an image is rejected without decoding
 * @param thumbSize      box (width and height) the thumbnail must fit in; never upscaled
 * @param thumbFormat    preferred thumbnail format name from the thumb-suffix extension ("jpg", "png", "webp"...);
 *                       formats ImageIO cannot write fall back to JPEG, or PNG when the image has alpha
 * @param thumbnails     false in metadata mode: no thumbnail is produced
 */
public record AnalysisOptions(long maxPixels, int thumbSize, String thumbFormat, boolean thumbnails) {

    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;
    public static final int DEFAULT_THUMB_SIZE = io.github.lightlys3ingest.contract.Defaults.THUMB_SIZE;

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DEFAULT_MAX_PIXELS, DEFAULT_THUMB_SIZE, "jpg", true);
    }
}
