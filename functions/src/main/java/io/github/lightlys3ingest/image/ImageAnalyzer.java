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
        throw new UnsupportedOperationException("not implemented yet");
    }
}
