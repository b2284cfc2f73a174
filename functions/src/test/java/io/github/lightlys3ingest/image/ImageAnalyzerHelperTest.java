package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An analyser with a helper thread gives exactly what one without gives, for good and damaged files alike. */
@Timeout(120)
class ImageAnalyzerHelperTest {
    private static final ExecutorService HELPER = Executors.newFixedThreadPool(2);
    private static final AnalysisOptions OPTIONS = new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS,
            AnalysisOptions.DEFAULT_THUMB_SIZE, "png", true);
    private static final ImageAnalyzer ALONE = new ImageAnalyzer(OPTIONS);
    private static final ImageAnalyzer HELPED = new ImageAnalyzer(OPTIONS, HELPER);

    @AfterAll
    static void stopHelper() {
        HELPER.shutdownNow();
    }

    static Stream<String> fixtures() {
        return Stream.of("/images/Apple_iPhone_4.jpg", "/images/FLIR_Vue_Pro_640.jpg", "/images/Kodak_DX4330.jpg",
                "/images/Sony_DCR-PC120E.jpg", "/images-edge/grey.jpg", "/images-edge/icc_linear_rgb.jpg",
                "/images-edge/progressive.jpg", "/images-edge/cmyk.jpg", "/images-edge/garbage_exif.jpg",
                "/images-edge/truncated.jpg", "/images-edge/rgba.png");
    }

    private static void assertSameAnalysis(Analysis expected, Analysis actual) {
        assertEquals(expected.getClass(), actual.getClass(), actual.toString());
        if (expected instanceof Analysis.Accepted e) {
            Analysis.Accepted a = (Analysis.Accepted) actual;
            assertArrayEquals(e.metaData().sumOfValues(), a.metaData().sumOfValues(), 0);
            assertArrayEquals(e.metaData().sumOfSquares(), a.metaData().sumOfSquares(), 0);
            assertEquals(e.metaData().sharpness(), a.metaData().sharpness(), 0);
            assertArrayEquals(e.thumbnail().bytes(), a.thumbnail().bytes());
        } else {
            assertEquals(((Analysis.Rejected) expected).reason(), ((Analysis.Rejected) actual).reason());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void helperThreadGivesTheSameAnalysis(String resource) {
        byte[] bytes = Fixtures.bytes(resource);

        assertSameAnalysis(ALONE.analyze(bytes, resource), HELPED.analyze(bytes, resource));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.3, 0.6, 0.95})
    void truncatedJpegIsRejectedAlikeWithAHelper(double kept) {
        byte[] whole = Fixtures.bytes("/images/Kodak_DX4330.jpg");
        byte[] truncated = Arrays.copyOf(whole, (int) (whole.length * kept));

        Analysis expected = ALONE.analyze(truncated, "truncated");
        assertInstanceOf(Analysis.Rejected.class, expected);
        assertSameAnalysis(expected, HELPED.analyze(truncated, "truncated"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void scanDataDamagedAnywhereGivesTheSameOutcomeWithAHelper(int seed) {
        // the decoder reads through such damage (garbage pixels, the file is accepted): the helper must see the
        // same rows
        byte[] bytes = Fixtures.bytes("/images/Kodak_DX4330.jpg").clone();
        Random random = new Random(seed);
        for (int i = 0; i < 40; i++) {
            bytes[bytes.length / 10 + random.nextInt(bytes.length * 8 / 10)] = (byte) random.nextInt(256);
        }

        assertSameAnalysis(ALONE.analyze(bytes, "damaged"), HELPED.analyze(bytes, "damaged"));
    }
}
