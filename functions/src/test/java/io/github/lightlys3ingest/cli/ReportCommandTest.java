package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.report.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code report} on an output datasource written by a real {@code ingest} of the fixture images, checked in
 * headless chromium without network: the counts on the page are compared with the datasource's files.
 */
@ExtendWith(MotoExtension.class)
class ReportCommandTest {
    private static final String HOSTILE_NAME = "\"><svg onload=alert(1)>.jpg";
    private static final Pattern COUNT = Pattern.compile("id=\"count-([a-z-]+)\" data-count=\"(\\d+)\"");
    private static final Pattern REASON = Pattern.compile(
            "<section class=\"reason\" data-reason=\"([^\"]+)\" data-count=\"(\\d+)\">(.*?)</section>", Pattern.DOTALL);

    /** Folder runs need no AWS: clients that would fail on first use. */
    private static final AwsClients LOCAL =
            new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9")));

    @TempDir
    static Path dir;
    private static Path out;

    @BeforeAll
    static void ingestFixtures() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in/cows"));
        Path images = Path.of("src/test/resources/images");
        for (String name : List.of("Apple_iPhone_4.jpg", "Kodak_DX4330.jpg", "Nikon_Coolpix_775.jpg",
                "FLIR_Vue_Pro_640.jpg")) {
            Files.copy(images.resolve(name), in.resolve(name));
        }
        Files.copy(images.resolve("Sony_DCR-PC120E.jpg"), in.resolve(HOSTILE_NAME));
        Files.copy(images.resolve("Olympus_C720UZ.jpg"), in.resolve("IMG 1#?.jpg"));
        Path edge = Path.of("src/test/resources/images-edge");
        Files.copy(edge.resolve("truncated.jpg"), in.resolve("truncated.jpg"));
        Files.copy(edge.resolve("huge_dimensions.png"), in.resolve("huge_dimensions.png"));
        Files.write(in.resolve("notes.txt"), "not an image".getBytes());
        out = dir.resolve("out");
        CliRun ingest = CliRun.run(LOCAL, Map.of(), "ingest", "--input", dir.resolve("in").toString(), "--output",
                out.toString());
        assertEquals(0, ingest.exit(), ingest.both());
    }

    private static long jsonFiles(String folder) throws IOException {
        Path root = out.resolve(".lightly/ingest").resolve(folder);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    /** Reason to file names, read from the rejection files themselves. */
    private static Map<String, Set<String>> rejectionsOnDisk() throws IOException {
        Map<String, Set<String>> byReason = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out.resolve(".lightly/ingest/rejected"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                JsonNode rejection = Json.MAPPER.readTree(file.toFile());
                byReason.computeIfAbsent(rejection.path("reason").asText(), r -> new HashSet<>())
                        .add(rejection.path("fileName").asText());
            }
        }
        return byReason;
    }

    private static Map<String, Long> counts(String dom) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = COUNT.matcher(dom);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    private static long occurrences(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

    @Test
    void theFolderReportRendersOfflineAndItsCountsMatchTheDatasource() throws Exception {
        Path page = dir.resolve("pages/report.html");
        Files.createDirectories(page.getParent());

        CliRun run = CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString(), "--html", page.toString());

        assertEquals(0, run.exit(), run.both());
        String dom = HeadlessChromium.dumpDom(page, dir);
        Map<String, Long> counts = counts(dom);
        long records = jsonFiles("records");
        assertTrue(records >= 6, "the fixture run should have made records: " + records);
        assertEquals(records, counts.get("records"), dom);
        assertEquals(jsonFiles("rejected"), counts.get("rejections"));
        assertEquals(0, counts.get("in-lightly"), "a dry run has no Lightly samples");
        assertEquals(records, counts.get("dry-run"));
        assertEquals(records, counts.get("thumbnails"));
        assertEquals(records, occurrences(dom, "<figure class=\"thumb\">"));

        Map<String, Set<String>> onDisk = rejectionsOnDisk();
        Map<String, Long> shownReasons = new TreeMap<>();
        Matcher section = REASON.matcher(dom);
        while (section.find()) {
            shownReasons.put(section.group(1), Long.parseLong(section.group(2)));
            assertEquals(onDisk.get(section.group(1)).size(), occurrences(section.group(3), "<tr class=\"rejection\">"),
                    section.group(1));
            for (String fileName : onDisk.get(section.group(1))) {
                assertTrue(section.group(3).contains(fileName), fileName + " under " + section.group(1));
            }
        }
        Map<String, Long> expectedReasons = new TreeMap<>();
        onDisk.forEach((reason, files) -> expectedReasons.put(reason, (long) files.size()));
        assertEquals(expectedReasons, shownReasons);
        assertTrue(shownReasons.containsKey("corrupt") && shownReasons.containsKey("too_many_pixels"), dom);

        for (String plot : List.of("sharpness", "snr", "megapixels", "megabytes", "cameras")) {
            assertTrue(dom.contains("data-plot=\"" + plot + "\" data-count=\"" + records + "\""), plot);
        }
        assertTrue(dom.contains("data-label=\"Apple iPhone 4\" data-count=\"1\""), "camera from EXIF Make and Model");
        assertFalse(Pattern.compile("<(script|link|iframe)\\b").matcher(dom).find(), "nothing to fetch or run");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(dom).find(), "no external reference");
    }

    @Test
    void theScreenshotShowsTheThumbnailsFromRelativeLinks() throws Exception {
        Path page = dir.resolve("shot/report.html");
        Files.createDirectories(page.getParent());
        assertEquals(0,
                CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString(), "--html", page.toString()).exit());
        Path png = dir.resolve("shot/report.png");

        HeadlessChromium.screenshot(page, png, 1200, 1800, dir);

        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        double sum = 0;
        double sumOfSquares = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb & 0xFFFFFF);
                double luma = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
                sum += luma;
                sumOfSquares += luma * luma;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        double variance = sumOfSquares / n - (sum / n) * (sum / n);
        assertTrue(variance > 100, "the screenshot is (nearly) blank: luminance variance " + variance);
        // Text, bars and axes alone give a few hundred colours; photographs give tens of thousands.
        assertTrue(colours.size() > 10_000, "thumbnails did not load from their relative links: " + colours.size()
                + " colours");
    }

    @Test
    void hostileFileNamesStayText() throws Exception {
        Path page = dir.resolve("hostile.html");
        assertEquals(0,
                CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString(), "--html", page.toString()).exit());

        String dom = HeadlessChromium.dumpDom(page, dir);

        assertEquals(5, occurrences(dom, "<svg "), "only the five plots are SVG elements");
        assertTrue(dom.contains("&gt;&lt;svg onload=alert(1)&gt;.jpg"), "the name is shown as text");
        String html = Files.readString(page);
        assertTrue(html.contains("src=\"out/.lightly/thumbnails/cows/IMG%201%23%3F_thumb.jpg\""),
                "awkward names are percent-encoded in links");
    }

    @Test
    void anS3ReportLinksPresignedUrlsOrEmbedsTheThumbnails(MotoServer moto) throws Exception {
        String bucket = MotoServer.freshName("lightly-output");
        String root = "s3://" + bucket + "/lightly/";
        byte[] thumbnail;
        String thumbKey;
        try (S3Client s3 = moto.clients().s3(); Stream<Path> files = Files.walk(out)) {
            s3.createBucket(b -> b.bucket(bucket));
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = "lightly/" + out.relativize(file).toString().replace('\\', '/');
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
            thumbKey = ".lightly/thumbnails/cows/Apple_iPhone_4_thumb.jpg";
            thumbnail = Files.readAllBytes(out.resolve(thumbKey));
        }
        Path presigned = dir.resolve("s3-presigned.html");
        Path embedded = dir.resolve("s3-embedded.html");
        Path named = dir.resolve("s3-named.html");

        CliRun presign = CliRun.run(moto.clients(), Map.of(), "report", "--output", root,
                "--html", presigned.toString(), "--presign");
        CliRun embed = CliRun.run(moto.clients(), Map.of(), "report", "--output", root, "--html", embedded.toString(),
                "--embed");
        CliRun plain = CliRun.run(moto.clients(), Map.of(), "report", "--output", root, "--html", named.toString());

        for (CliRun run : List.of(presign, embed, plain)) {
            assertEquals(0, run.exit(), run.both());
        }
        Matcher url = Pattern.compile("src=\"(http[^\"]*Apple_iPhone_4_thumb\\.jpg[^\"]*)\"")
                .matcher(Files.readString(presigned));
        assertTrue(url.find(), Files.readString(presigned));
        String link = url.group(1).replace("&amp;", "&");
        assertTrue(link.contains("X-Amz-Signature="), link);
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(thumbnail, response.body());

        String embeddedDom = HeadlessChromium.dumpDom(embedded, dir);
        Matcher data = Pattern.compile("src=\"data:image/jpeg;base64,([^\"]+)\" alt=\"cows/Apple_iPhone_4.jpg\"")
                .matcher(embeddedDom);
        assertTrue(data.find(), embeddedDom);
        assertArrayEquals(thumbnail, Base64.getDecoder().decode(data.group(1)));
        assertEquals(jsonFiles("records"), counts(embeddedDom).get("records"));

        String namedHtml = Files.readString(named);
        assertFalse(namedHtml.contains("<img"), "without --presign or --embed S3 thumbnails are named only");
        assertTrue(namedHtml.contains("--presign links them, --embed puts them in the page"), namedHtml);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        CliRun presignFolder = CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString(), "--html",
                dir.resolve("x.html").toString(), "--presign");
        CliRun noFolder = CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString(), "--html",
                dir.resolve("missing/x.html").toString());
        CliRun noOutput = CliRun.run(LOCAL, Map.of(), "report", "--output", dir.resolve("nothing").toString(), "--html",
                dir.resolve("x.html").toString());
        CliRun noHtml = CliRun.run(LOCAL, Map.of(), "report", "--output", out.toString());

        for (CliRun run : List.of(presignFolder, noFolder, noOutput, noHtml)) {
            assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
            assertTrue(run.err().startsWith("error: "), run.both());
        }
        for (CliRun run : List.of(presignFolder, noFolder, noOutput)) {
            assertEquals(1, run.err().strip().lines().count(), run.both());
        }
        assertFalse(Files.exists(dir.resolve("x.html")));
    }
}
