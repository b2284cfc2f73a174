package io.github.lightlys3ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Through the command line: every listed object ends as a record, a rejection or a counted failure. */
@ExtendWith(MotoExtension.class)
class IngestEveryObjectEndsTest {
    @TempDir
    Path tmp;

    private static byte[] photo() throws IOException {
        try (InputStream in = IngestEveryObjectEndsTest.class.getResourceAsStream("/images/Kodak_DX4330.jpg")) {
            return in.readAllBytes();
        }
    }

    /** A JPEG of the given size with content a decoder cannot shortcut. */
    private static Path largeJpeg(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.RED, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        for (int i = 0; i < 200; i++) {
            g.drawOval((i * 97) % width, (i * 53) % height, width / 10, height / 10);
        }
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "jpeg", file.toFile());
        return file;
    }

    private static Path copies(Path original, Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Files.copy(original, dir.resolve(String.format("p%03d.jpg", i)));
        }
        return dir;
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void manyTwelveMegapixelImagesOnEightThreadsAllEndUnderTheTestHeap(MotoServer moto) throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        assertTrue(heap <= 520L << 20, "this test means something under -Xmx512m (surefire's argLine), heap " + heap);
        Path original = largeJpeg(tmp.resolve("original/12mp.jpg"), 4000, 3000);
        Path in = copies(original, tmp.resolve("in"), 24);
        Path out = tmp.resolve("out");

        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "8");

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("24 listed = 24 ingested + 0 rejected + 0 skipped + 0 failed"), run.both());
        assertEquals(24, count(out.resolve(OutputLayout.RECORDS)));
    }

    @Test
    void fiftyMegapixelImagesUnderA256MiBHeapAllBecomeRecords() throws Exception {
        Path original = largeJpeg(tmp.resolve("original/50mp.jpg"), 8660, 5774);
        Path in = copies(original, tmp.resolve("in"), 3);
        Path out = tmp.resolve("out");

        CliRun run = ChildJvm.start(tmp, List.of("-Xmx256m"), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "2").await();

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("3 listed = 3 ingested + 0 rejected + 0 skipped + 0 failed"), run.both());
        assertEquals(3, count(out.resolve(OutputLayout.RECORDS)));
    }

    @Test
    void anOutOfMemoryErrorInAWorkerEndsThatObjectAsFailedAndTheRunWithExitOne() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("a.jpg"), photo());
        try (RandomAccessFile sparse = new RandomAccessFile(in.resolve("huge.bin").toFile(), "rw")) {
            sparse.setLength(400L << 20); // reading it needs more than the whole 128 MiB heap
        }
        Path out = tmp.resolve("out");

        CliRun run = ChildJvm.start(tmp, List.of("-Xmx128m"), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "1", "--max-object-bytes", "1000000000").await();

        assertEquals(Main.EXIT_INCOMPLETE, run.exit(), run.both());
        assertTrue(run.out().contains("2 listed = 1 ingested + 0 rejected + 0 skipped + 1 failed"), run.both());
        assertTrue(run.out().contains("failed: huge.bin: OutOfMemoryError"), run.both());
        assertFalse(Files.exists(out.resolve(OutputLayout.CLAIMS + "huge.bin@" + "x")), "claim released");
        try (Stream<Path> claims = Files.list(out.resolve(OutputLayout.CLAIMS))) {
            assertEquals(List.of("a.jpg"), claims.map(p -> p.getFileName().toString().replaceAll("@.*", ""))
                    .toList(), "the failed object's claim was released");
        }
    }

    @Test
    void sigtermReleasesTheClaimsSaysWhatRemainsAndTheRerunFinishes(MotoServer moto) throws Exception {
        Path original = largeJpeg(tmp.resolve("original/6mp.jpg"), 3000, 2000);
        Path in = copies(original, tmp.resolve("in"), 60);
        Path out = tmp.resolve("out");
        ChildJvm child = ChildJvm.start(tmp, List.of("-Xmx256m"), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "2");
        Path records = out.resolve(OutputLayout.RECORDS);
        CountDownLatch never = new CountDownLatch(1);
        while (count(records) < 3 && child.process().isAlive()) {
            never.await(20, TimeUnit.MILLISECONDS);
        }
        assertTrue(child.process().isAlive(), "the run must still be going when the signal comes");

        child.process().destroy(); // SIGTERM
        CliRun stopped = child.await();

        assertEquals(128 + 15, stopped.exit(), stopped.both());
        assertTrue(stopped.out().contains("stopped: ") && stopped.out().contains("run the same command again"),
                stopped.both());
        Set<String> ended = Stream.of(records, out.resolve(OutputLayout.REJECTED)).flatMap(dir -> {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()
                        .replaceAll("\\.json$", "")).toList().stream();
            } catch (IOException e) {
                return Stream.empty();
            }
        }).collect(Collectors.toSet());
        try (Stream<Path> claims = Files.list(out.resolve(OutputLayout.CLAIMS))) {
            Set<String> claimed = claims.map(p -> p.getFileName().toString().replaceAll("@.*", ""))
                    .collect(Collectors.toSet());
            assertEquals(ended, claimed, "claims left only where the object ended");
        }
        long listed = Long.parseLong(stopped.out().replaceAll("(?s).*?(\\d+) listed = .*", "$1"));
        assertTrue(listed < 60 || stopped.out().contains(" interrupted"), stopped.both());

        CliRun rerun = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString(), "--threads", "2");
        assertEquals(0, rerun.exit(), rerun.both());
        assertTrue(rerun.out().contains("60 listed = " + (60 - ended.size()) + " ingested + 0 rejected + "
                + ended.size() + " skipped + 0 failed"), rerun.both());
    }

    @Test
    void aSymlinkOutOfTheInputFolderIsRejectedAndOneInsideIsIngested(MotoServer moto) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path secret = Files.write(tmp.resolve("secret.jpg"), photo());
        Files.write(in.resolve("a.jpg"), photo());
        Files.createSymbolicLink(in.resolve("escape.jpg"), secret);
        Files.createSymbolicLink(in.resolve("inside.jpg"), in.resolve("a.jpg"));
        Path out = tmp.resolve("out");

        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString());

        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("ingested 2, rejected 1 {outside_input=1}"), run.both());
        JsonNode rejection = Json.MAPPER.readTree(out.resolve(OutputLayout.rejectionKey("escape.jpg")).toFile());
        assertEquals("outside_input", rejection.get("reason").asText());
        assertTrue(rejection.get("detail").asText().contains("outside the datasource folder"));
        assertFalse(Files.exists(out.resolve(".lightly/thumbnails/escape_thumb.jpg")));
    }

    @Test
    void anOutputWhoseLightlyFolderIsASymlinkIsRefusedInOneLine(MotoServer moto) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("a.jpg"), photo());
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(out.resolve(".lightly"), Files.createDirectories(tmp.resolve("elsewhere")));

        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                out.toString());

        assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
        assertEquals(1, run.err().strip().lines().count(), run.both());
        assertTrue(run.err().startsWith("error: --output") && run.err().contains("symbolic link"), run.both());
        assertEquals(0, count(tmp.resolve("elsewhere")));
    }

    @Test
    void aThumbSuffixIntoTheIngestersFolderIsRefusedInOneLine(MotoServer moto) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));

        CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", in.toString(), "--output",
                tmp.resolve("out").toString(), "--thumb-suffix", ".lightly/ingest/records/[filename].[extension].json");

        assertEquals(Main.EXIT_USAGE, run.exit(), run.both());
        assertEquals(1, run.err().strip().lines().count(), run.both());
        assertTrue(run.err().contains("--thumb-suffix") && run.err().contains(".lightly/ingest/"), run.both());
    }

    @Test
    void s3KeysAFolderCannotHoldEndAsHashedRejections(MotoServer moto) throws IOException {
        String bucket = MotoServer.freshName("lake");
        String longName = "n".repeat(246) + ".jpg"; // 250 characters
        List<String> names = List.of("../escape.jpg", "./dot.jpg", "a//b.jpg", longName, "good.jpg");
        try (S3Client s3 = moto.clients().s3()) {
            s3.createBucket(b -> b.bucket(bucket));
            for (String name : names) {
                s3.putObject(b -> b.bucket(bucket).key("in/" + name), RequestBody.fromBytes(photoUnchecked()));
            }
            Path out = tmp.resolve("out");

            CliRun run = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", "s3://" + bucket + "/in/",
                    "--output", out.toString());

            assertEquals(0, run.exit(), run.both());
            assertTrue(run.out().contains("5 listed = 1 ingested + 4 rejected + 0 skipped + 0 failed"), run.both());
            for (String name : names.subList(0, 3)) {
                JsonNode rejection = Json.MAPPER.readTree(out.resolve(OutputLayout.hashedRejectionKey(name)).toFile());
                assertEquals(name, rejection.get("fileName").asText());
                assertEquals("invalid_name", rejection.get("reason").asText());
            }
            assertEquals("invalid_name", Json.MAPPER.readTree(out.resolve(OutputLayout.rejectionKey(longName))
                    .toFile()).get("reason").asText(), "a 250-byte name fits as a rejection, not as a claim");
            assertFalse(Files.exists(tmp.resolve("escape.jpg")));

            CliRun again = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", "s3://" + bucket + "/in/",
                    "--output", out.toString());
            assertTrue(again.out().contains("5 listed = 0 ingested + 0 rejected + 5 skipped + 0 failed"), again.both());
        }
    }

    @Test
    void anS3KeyNearTheLengthLimitEndsAsAHashedRejectionOnS3(MotoServer moto) throws IOException {
        String bucket = MotoServer.freshName("lake");
        String name = "d/".repeat(10) + "k".repeat(990) + ".jpg"; // 1,014 bytes: its claim key would pass 1,024
        try (S3Client s3 = moto.clients().s3()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key(name), RequestBody.fromBytes(photoUnchecked()));

            String outBucket = MotoServer.freshName("out");
            s3.createBucket(b -> b.bucket(outBucket));
            CliRun real = CliRun.run(moto.clients(), Map.of(), "ingest", "--input", "s3://" + bucket + "/",
                    "--output", "s3://" + outBucket + "/lightly/");
            assertEquals(0, real.exit(), real.both());
            assertTrue(real.out().contains("1 listed = 0 ingested + 1 rejected + 0 skipped + 0 failed"), real.both());
            String rejection = s3.getObjectAsBytes(b -> b.bucket(outBucket)
                    .key("lightly/" + OutputLayout.hashedRejectionKey(name))).asString(StandardCharsets.UTF_8);
            JsonNode json = Json.MAPPER.readTree(rejection);
            assertEquals(name, json.get("fileName").asText());
            assertTrue(json.get("detail").asText().contains("over S3's limit of 1024"), rejection);
        }
    }

    private static byte[] photoUnchecked() {
        try {
            return photo();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
