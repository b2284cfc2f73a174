package io.github.lightlys3ingest.image;

/**
 * Turns the bytes of one object into Lightly's metadata, EXIF and a thumbnail. Never throws for bad
 * input: every problem with the bytes becomes an {@link Analysis.Rejected}. Thread-safe.
 */
public final class ImageAnalyzer {
    private final AnalysisOptions options;

    public ImageAnalyzer(AnalysisOptions options) {
        this.options = options;
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
     * Analyses one object with a per-object thumbnail format.
     *
     * @param thumbFormat extension naming the wanted thumbnail format; null for no thumbnail (metadata mode)
     */
    public Analysis analyze(byte[] bytes, String fileName, String thumbFormat) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
