package io.github.lightlys3ingest.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {
    @TempDir
    Path root;

    private LocalObjectStore store() {
        return new LocalObjectStore(root);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> keys(String prefix, String startAfter) throws IOException {
        List<String> keys = new ArrayList<>();
        store().list(prefix, startAfter, info -> keys.add(info.key()));
        return keys;
    }

    @Test
    void putThenHeadAndReadReturnTheBytesWrittenUnderNestedFolders() throws IOException {
        store().put("a/b/c.jpg", bytes("hello"), "image/jpeg");

        assertArrayEquals(bytes("hello"), Files.readAllBytes(root.resolve("a/b/c.jpg")));
        assertArrayEquals(bytes("hello"), store().read("a/b/c.jpg", 5));
        ObjectInfo info = store().head("a/b/c.jpg").orElseThrow();
        assertEquals("a/b/c.jpg", info.key());
        assertEquals(5, info.size());
        assertEquals(null, info.versionId());
    }

    @Test
    void putOverwritesAndLeavesNoTemporaryFiles() throws IOException {
        store().put("x.txt", bytes("one"), null);
        store().put("x.txt", bytes("second"), null);

        assertArrayEquals(bytes("second"), store().read("x.txt", 100));
        try (var files = Files.list(root)) {
            assertEquals(List.of(root.resolve("x.txt")), files.toList());
        }
    }

    @Test
    void eTagChangesWhenTheFileIsRewritten() throws IOException {
        store().put("x.txt", bytes("one"), null);
        String before = store().head("x.txt").orElseThrow().eTag();
        Files.writeString(root.resolve("x.txt"), "two");
        Files.setLastModifiedTime(root.resolve("x.txt"), FileTime.fromMillis(1_000));

        String after = store().head("x.txt").orElseThrow().eTag();

        assertNotEquals(before, after);
        assertEquals("3-" + Long.toHexString(1_000_000_000L), after);
    }

    @Test
    void headOfMissingKeyOrFolderIsEmpty() throws IOException {
        Files.createDirectories(root.resolve("folder"));

        assertEquals(Optional.empty(), store().head("missing.jpg"));
        assertEquals(Optional.empty(), store().head("folder"));
    }

    @Test
    void readOfMissingKeyThrowsNoSuchObject() {
        NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> store().read("gone.jpg", 10));
        assertEquals("gone.jpg", e.key());
    }

    @Test
    void readRefusesTooLargeObjectFromItsSizeWithoutReadingIt() throws IOException {
        long size = 20L << 20;
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            sparse.setLength(size);
        }

        ObjectTooLargeException e = assertThrows(ObjectTooLargeException.class,
                () -> store().read("big.bin", 1 << 20));

        // A store that read first could only report the bytes it read (limit + 1), not the file's size.
        assertEquals(size, e.size());
    }

    @Test
    void readAcceptsAnObjectOfExactlyTheLimit() throws IOException {
        store().put("eleven.bin", new byte[11], null);

        assertArrayEquals(new byte[11], store().read("eleven.bin", 11));
        assertThrows(ObjectTooLargeException.class, () -> store().read("eleven.bin", 10));
    }

    @Test
    void keysLeavingTheRootAreRefused() {
        for (String key : List.of("../outside.jpg", "a/../../outside.jpg", "/etc/passwd", "a//b.jpg", "./a.jpg",
                "a/", "")) {
            assertThrows(IllegalArgumentException.class, () -> store().put(key, bytes("x"), null), key);
            assertThrows(IllegalArgumentException.class, () -> store().head(key), key);
            assertThrows(IllegalArgumentException.class, () -> store().read(key, 10), key);
        }
        assertFalse(Files.exists(root.getParent().resolve("outside.jpg")));
    }

    @Test
    void listsRecursivelyInS3KeyOrder() throws IOException {
        // '-' < '/' < '0' < 'A' < '_' < 'a' < U+00FC < U+E000 < U+1F404 (as code points, as in S3)
        List<String> expected = List.of("a-b.jpg", "a/x.jpg", "a/y/z.jpg", "a0.jpg", "b/A.jpg", "b/_.jpg",
                "b/a.jpg", "k\u00fche/1.jpg", "k\uE000.jpg", "k\uD83D\uDC04.jpg");
        List<String> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        for (String key : reversed) {
            store().put(key, bytes(key), null);
        }

        assertEquals(expected, keys("", null));
    }

    @Test
    void listHonoursPrefixAndStartAfter() throws IOException {
        for (String key : List.of("p/a.jpg", "p/b/c.jpg", "p/b/d.jpg", "p/e.jpg", "pq.jpg", "q/f.jpg")) {
            store().put(key, bytes(key), null);
        }

        assertEquals(List.of("p/a.jpg", "p/b/c.jpg", "p/b/d.jpg", "p/e.jpg"), keys("p/", null));
        assertEquals(List.of("p/a.jpg", "p/b/c.jpg", "p/b/d.jpg", "p/e.jpg", "pq.jpg"), keys("p", null));
        assertEquals(List.of("p/b/d.jpg", "p/e.jpg"), keys("p/", "p/b/c.jpg"));
        assertEquals(List.of("p/b/c.jpg", "p/b/d.jpg", "p/e.jpg"), keys("p/", "p/b"));
        assertEquals(List.of("p/b/c.jpg", "p/b/d.jpg"), keys("p/b", null));
        assertEquals(List.of("pq.jpg", "q/f.jpg"), keys("", "p/e.jpg"));
        assertEquals(List.of(), keys("nothing/", null));
        assertEquals(List.of(), keys("p/../", null));
    }

    @Test
    void listReportsSizeAndSameETagAsHead() throws IOException {
        store().put("d/one.bin", new byte[7], null);
        List<ObjectInfo> listed = new ArrayList<>();

        store().list("", null, listed::add);

        assertEquals(List.of(store().head("d/one.bin").orElseThrow()), listed);
        assertEquals(7, listed.get(0).size());
    }

    @Test
    void listSkipsNothingButItsOwnTemporaryFiles() throws IOException {
        store().put(".lightly/ingest/records/a.json", bytes("{}"), null);
        store().put(".hidden.jpg", bytes("x"), null);
        Files.write(root.resolve(".lightly-tmp-0123456789abcdef0123456789abcdef"), bytes("partial"));

        assertEquals(List.of(".hidden.jpg", ".lightly/ingest/records/a.json"), keys("", null));
    }

    @Test
    void putIfAbsentCreatesOnceAndKeepsTheFirstContent() throws IOException {
        assertTrue(store().putIfAbsent("r/a.json", bytes("first"), "application/json"));
        assertFalse(store().putIfAbsent("r/a.json", bytes("second"), "application/json"));

        assertArrayEquals(bytes("first"), store().read("r/a.json", 100));
        try (var files = Files.list(root.resolve("r"))) {
            assertEquals(1, files.count(), "temporary files are cleaned up");
        }
    }

    @Test
    void putIfAbsentFromEightThreadsCreatesExactlyOnce() throws Exception {
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            String key = "race/" + round + "/record.json";
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] content = bytes("writer " + t);
                    Callable<Boolean> write = () -> {
                        start.await();
                        return new LocalObjectStore(root).putIfAbsent(key, content, null);
                    };
                    results.add(pool.submit(write));
                }
                start.countDown();
                List<String> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (results.get(t).get()) {
                        winners.add("writer " + t);
                    }
                }
                assertEquals(1, winners.size(), "winners in round " + round + ": " + winners);
                assertEquals(winners.get(0), new String(store().read(key, 100), StandardCharsets.UTF_8));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void deleteRemovesTheFileAndIgnoresMissingKeys() throws IOException {
        store().put("d/x.jpg", bytes("x"), null);

        store().delete("d/x.jpg");
        store().delete("d/x.jpg");

        assertEquals(Optional.empty(), store().head("d/x.jpg"));
    }

    @Test
    void uriIsTheAbsoluteFolder() {
        assertEquals(root.toAbsolutePath().normalize(), store().uri().dir());
        assertFalse(store().uri().isS3());
    }

    @Test
    void replaceIfMatchReplacesOnlyTheVersionItNames() throws IOException {
        LocalObjectStore store = store();
        store.put("claim.json", bytes("old"), null);
        Files.setLastModifiedTime(root.resolve("claim.json"), FileTime.fromMillis(1_000_000));
        String stale = store.head("claim.json").orElseThrow().eTag();

        assertTrue(store.replaceIfMatch("claim.json", stale, bytes("mine"), null));
        assertFalse(store.replaceIfMatch("claim.json", stale, bytes("theirs"), null), "the version is gone");
        assertArrayEquals(bytes("mine"), store.read("claim.json", 100));
        assertFalse(store.replaceIfMatch("missing.json", stale, bytes("x"), null));
        assertFalse(Files.exists(root.resolve("missing.json")));
        try (var files = Files.list(root)) {
            assertEquals(List.of("claim.json"), files.map(f -> f.getFileName().toString()).toList(),
                    "nothing left aside");
        }
    }

    @Test
    void ofConcurrentReplacementsOfOneVersionExactlyOneWins() throws Exception {
        LocalObjectStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                store.put("claim.json", bytes("stale"), null);
                Files.setLastModifiedTime(root.resolve("claim.json"), FileTime.fromMillis(1_000_000 + round));
                String stale = store.head("claim.json").orElseThrow().eTag();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int worker = 0; worker < 4; worker++) {
                    byte[] mine = bytes("worker " + worker);
                    results.add(pool.submit((Callable<Boolean>) () -> {
                        start.await();
                        return store.replaceIfMatch("claim.json", stale, mine, null);
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int worker = 0; worker < 4; worker++) {
                    if (results.get(worker).get()) {
                        winners.add(worker);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
                assertArrayEquals(bytes("worker " + winners.get(0)), store.read("claim.json", 100));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cannotHoldNamesWhatAFolderCannotStore() throws IOException {
        LocalObjectStore store = store();
        store.put("k.json", bytes("record"), null);
        Files.createDirectories(root.resolve("dir.json"));

        assertEquals(Optional.empty(), store.cannotHold("a/b c/" + "x".repeat(255)));
        assertTrue(store.cannotHold("a/" + "x".repeat(256)).orElseThrow().contains("256 bytes"));
        assertTrue(store.cannotHold("é".repeat(128)).isPresent(), "256 bytes in UTF-8");
        for (String key : List.of("../x", "./x", "a//b", "/abs", "a/./b", "a/")) {
            assertTrue(store.cannotHold(key).isPresent(), key);
        }
        assertTrue(store.cannotHold("k.json/y.jpg").orElseThrow().contains("k.json is a file"));
        assertTrue(store.cannotHold("dir.json").orElseThrow().contains("is a folder"));
        assertEquals(Optional.empty(), store.cannotHold("k.json"), "overwriting a file is fine");
    }

    @Test
    void readNeverFollowsALinkOutOfTheFolderButFollowsOneInside() throws IOException {
        LocalObjectStore store = store();
        Path outside = Files.writeString(Files.createTempFile("outside", ".jpg"), "secret");
        try {
            Files.createSymbolicLink(root.resolve("escape.jpg"), outside);
            Files.createDirectories(root.resolve("sub"));
            Files.writeString(root.resolve("sub/real.jpg"), "inside");
            Files.createSymbolicLink(root.resolve("alias.jpg"), root.resolve("sub/real.jpg"));
            Files.createSymbolicLink(root.resolve("linked-dir"), outside.getParent());

            OutsideRootException e = assertThrows(OutsideRootException.class, () -> store.read("escape.jpg", 100));
            assertTrue(e.getMessage().contains(outside.toRealPath().toString()), e.getMessage());
            assertThrows(OutsideRootException.class,
                    () -> store.read("linked-dir/" + outside.getFileName(), 100), "through a linked folder");
            assertArrayEquals(bytes("inside"), store.read("alias.jpg", 100));
        } finally {
            Files.deleteIfExists(outside);
        }
    }
}
