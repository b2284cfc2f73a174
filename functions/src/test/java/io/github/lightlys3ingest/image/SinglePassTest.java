package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rows taken while the decoder reports them give exactly what a pass over the decoded image gives. */
class SinglePassTest {

    private static BufferedImage decode(String resource, SinglePass listener) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ByteArrayImageInputStream input = new ByteArrayImageInputStream(Fixtures.bytes(resource))) {
            reader.setInput(input);
            if (listener != null) {
                reader.addIIOReadUpdateListener(listener);
            }
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static void assertSameResults(SinglePass expected, SinglePass actual) {
        SampleMetaData e = expected.statistics().result(1);
        SampleMetaData a = actual.statistics().result(1);
        assertArrayEquals(e.sumOfValues(), a.sumOfValues(), 0);
        assertArrayEquals(e.sumOfSquares(), a.sumOfSquares(), 0);
        assertEquals(e.sharpness(), a.sharpness(), 0);
        BufferedImage eReduced = expected.reducer().result();
        BufferedImage aReduced = actual.reducer().result();
        assertArrayEquals(
                eReduced.getRGB(0, 0, eReduced.getWidth(), eReduced.getHeight(), null, 0, eReduced.getWidth()),
                aReduced.getRGB(0, 0, aReduced.getWidth(), aReduced.getHeight(), null, 0, aReduced.getWidth()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/images/Kodak_DX4330.jpg", "/images-edge/grey.jpg", "/images-edge/progressive.jpg",
        "/images-edge/cmyk.jpg"})
    void rowsTakenDuringDecodingGiveTheSameResultsAsAPassAfterwards(String resource) throws IOException {
        SinglePass afterwards = new SinglePass(true, 128, null);
        afterwards.finish(decode(resource, null));

        SinglePass during = new SinglePass(true, 128, null);
        BufferedImage image = decode(resource, during);
        during.decodingEnded();
        during.finish(image);

        assertSameResults(afterwards, during);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/images/Kodak_DX4330.jpg", "/images-edge/grey.jpg", "/images-edge/progressive.jpg",
        "/images-edge/cmyk.jpg"})
    @Timeout(60)
    void rowsTakenByAHelperThreadGiveTheSameResultsAsAPassAfterwards(String resource) throws IOException {
        SinglePass afterwards = new SinglePass(true, 128, null);
        afterwards.finish(decode(resource, null));
        ExecutorService helper = Executors.newSingleThreadExecutor();
        try {
            SinglePass during = new SinglePass(true, 128, helper);
            BufferedImage image = decode(resource, during);
            during.decodingEnded();
            during.finish(image);

            assertSameResults(afterwards, during);
        } finally {
            helper.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aHelperTaskThatStartsOnlyAfterDecodingDoesNothingAndTheDecodingThreadMeasures() throws IOException {
        SinglePass afterwards = new SinglePass(true, 128, null);
        afterwards.finish(decode("/images/Kodak_DX4330.jpg", null));
        List<Runnable> late = new ArrayList<>();

        SinglePass during = new SinglePass(true, 128, late::add); // an executor whose threads are all busy
        BufferedImage image = decode("/images/Kodak_DX4330.jpg", during);
        during.decodingEnded();
        during.finish(image);
        late.forEach(Runnable::run);

        assertEquals(1, late.size());
        assertSameResults(afterwards, during);
    }

    @Test
    void aHelperTaskLeftQueuedInABusyExecutorDoesNotKeepTheDecodedImage() throws IOException {
        List<Runnable> queued = new ArrayList<>(); // an executor whose threads are all busy
        SinglePass pass = new SinglePass(true, 128, queued::add);

        WeakReference<BufferedImage> decoded = decodeAndFinish(pass);
        for (int i = 0; i < 10 && decoded.get() != null; i++) {
            System.gc();
        }

        assertEquals(1, queued.size(), "the task, and with it the pass, is still reachable");
        assertNull(decoded.get(), "the analysis gives the raster's memory back to the budget: it must be garbage");
        assertNotNull(pass.statistics().result(1));
        assertNotNull(pass.reducer().result());
    }

    /** Decodes with {@code pass} listening and finishes it, holding the image in no frame that outlives the call. */
    private static WeakReference<BufferedImage> decodeAndFinish(SinglePass pass) throws IOException {
        BufferedImage image = decode("/images/Kodak_DX4330.jpg", pass);
        pass.decodingEnded();
        pass.finish(image);
        return new WeakReference<>(image);
    }

    /** A blank image like the decoded one, into which rows are "decoded" by copying. */
    private static BufferedImage blankLike(BufferedImage image) {
        return new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
    }

    private static void copyRows(BufferedImage from, BufferedImage to, int firstRow, int rows) {
        to.getRaster().setRect(from.getRaster().createChild(0, firstRow, from.getWidth(), rows, 0, firstRow, null));
    }

    @Test
    void rowsReportedAheadOfOrderAreMeasuredAgainFromTheDecodedImage() throws IOException {
        BufferedImage image = decode("/images/FujiFilm_MX1700.jpg", null);
        SinglePass expected = new SinglePass(true, 128, null);
        expected.finish(image);
        BufferedImage decoding = blankLike(image);
        SinglePass pass = new SinglePass(true, 128, null);

        copyRows(image, decoding, 0, 10);
        pass.imageUpdate(null, decoding, 0, 0, image.getWidth(), 10, 1, 1, null);
        copyRows(image, decoding, 20, 10);
        pass.imageUpdate(null, decoding, 0, 20, image.getWidth(), 10, 1, 1, null); // rows 10..19 not decoded yet
        copyRows(image, decoding, 10, image.getHeight() - 10);
        pass.finish(decoding);

        assertSameResults(expected, pass);
    }

    @Test
    void rowsRewrittenByASecondPassAreMeasuredAgainFromTheDecodedImage() throws IOException {
        BufferedImage image = decode("/images/FujiFilm_MX1700.jpg", null);
        SinglePass expected = new SinglePass(true, 128, null);
        expected.finish(image);
        BufferedImage decoding = blankLike(image);
        SinglePass pass = new SinglePass(true, 128, null);

        pass.passStarted(null, decoding, 0, 0, Integer.MAX_VALUE, 0, 0, 1, 1, null);
        pass.imageUpdate(null, decoding, 0, 0, image.getWidth(), image.getHeight(), 1, 1, null); // a blank first pass
        pass.passStarted(null, decoding, 1, 0, Integer.MAX_VALUE, 0, 0, 1, 1, null);
        copyRows(image, decoding, 0, image.getHeight());
        pass.imageUpdate(null, decoding, 0, 0, image.getWidth(), image.getHeight(), 1, 1, null);
        pass.finish(decoding);

        assertSameResults(expected, pass);
    }

    @Test
    void anExecutorThatRefusesTheHelperTaskLeavesTheWorkToTheDecodingThread() throws IOException {
        SinglePass afterwards = new SinglePass(true, 128, null);
        afterwards.finish(decode("/images/Kodak_DX4330.jpg", null));
        ExecutorService shutDown = Executors.newSingleThreadExecutor();
        shutDown.shutdown();

        SinglePass during = new SinglePass(true, 128, shutDown);
        BufferedImage image = decode("/images/Kodak_DX4330.jpg", during);
        during.decodingEnded();
        during.finish(image);

        assertSameResults(afterwards, during);
    }
}
