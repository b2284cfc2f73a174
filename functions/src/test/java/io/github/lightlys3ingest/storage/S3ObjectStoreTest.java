package io.github.lightlys3ingest.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(MotoExtension.class)
class S3ObjectStoreTest {
    private final String bucket = MotoServer.freshName("datalake");
    private final DatasourceUri root = DatasourceUri.s3(bucket, "projects/farm-animals/");

    private S3Client s3;
    private S3ObjectStore store;

    @BeforeEach
    void createBucket(MotoServer moto) {
        s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(bucket));
        store = new S3ObjectStore(s3, root);
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String md5Hex(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private List<String> keys(ObjectStore store, String prefix, String startAfter) throws IOException {
        List<String> keys = new ArrayList<>();
        store.list(prefix, startAfter, info -> keys.add(info.key()));
        return keys;
    }

    @Test
    void putWritesUnderThePrefixWithContentTypeAndHeadReportsUnquotedETag() throws Exception {
        byte[] content = bytes("moo");
        store.put("cows/IMG_0001.jpg", content, "image/jpeg");

        var raw = s3.headObject(b -> b.bucket(bucket).key("projects/farm-animals/cows/IMG_0001.jpg"));
        assertEquals("image/jpeg", raw.contentType());
        ObjectInfo info = store.head("cows/IMG_0001.jpg").orElseThrow();
        assertEquals(new ObjectInfo("cows/IMG_0001.jpg", 3, md5Hex(content), null, raw.lastModified()), info);
        assertArrayEquals(content, store.read("cows/IMG_0001.jpg", 3));
    }

    @Test
    void headReportsVersionIdInAVersionedBucket() throws IOException {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        store.put("cows/a.jpg", bytes("v1"), "image/jpeg");

        String versionId = store.head("cows/a.jpg").orElseThrow().versionId();

        assertTrue(versionId != null && !versionId.isEmpty(), "versionId: " + versionId);
    }

    @Test
    void headOfMissingKeyIsEmptyAndReadThrowsNoSuchObject() {
        assertDoesNotFind("cows/none.jpg");
    }

    private void assertDoesNotFind(String key) {
        try {
            assertEquals(Optional.empty(), store.head(key));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> store.read(key, 100));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("s3://" + bucket + "/projects/farm-animals/" + key), e.getMessage());
    }

    @Test
    void readRefusesTooLargeObjectFromItsContentLength() throws IOException {
        store.put("cows/big.jpg", new byte[5000], "image/jpeg");

        ObjectTooLargeException e = assertThrows(ObjectTooLargeException.class, () -> store.read("cows/big.jpg", 1000));

        // Reading first could only have reported limit + 1 bytes.
        assertEquals(5000, e.size());
        assertEquals(5000, store.read("cows/big.jpg", 5000).length);
    }

    @Test
    void listPagesThroughAllKeysUnderThePrefixInOrderRelativeToTheRoot() throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = String.format("cows/%03d.jpg", i);
            expected.add(key);
            s3.putObject(b -> b.bucket(bucket).key("projects/farm-animals/" + key), RequestBody.fromString("x"));
        }
        s3.putObject(b -> b.bucket(bucket).key("projects/other/000.jpg"), RequestBody.fromString("x"));
        s3.putObject(b -> b.bucket(bucket).key("projects/farm-animals.jpg"), RequestBody.fromString("x"));
        S3ObjectStore paged = new S3ObjectStore(s3, root, 7);

        List<ObjectInfo> listed = new ArrayList<>();
        paged.list("", null, listed::add);

        assertEquals(expected, listed.stream().map(ObjectInfo::key).toList());
        assertEquals(1, listed.get(0).size());
        assertEquals(store.head("cows/000.jpg").orElseThrow().eTag(), listed.get(0).eTag());
        assertEquals(store.head("cows/000.jpg").orElseThrow().lastModified(), listed.get(0).lastModified());
        assertNotNull(listed.get(0).lastModified(), "status ages claims by the listing's LastModified");
        assertEquals(expected.subList(11, 25), keys(paged, "cows/", "cows/010.jpg"));
        assertEquals(List.of("cows/020.jpg", "cows/021.jpg", "cows/022.jpg", "cows/023.jpg", "cows/024.jpg"),
                keys(paged, "cows/02", null));
    }

    @Test
    void awkwardKeysSurviveEveryOperation() throws IOException {
        List<String> awkward = List.of("my photo 1.jpg", "a+b.jpg", "100%.jpg", "k\u00fche/\u725b.jpg",
                "q?x=1&y#z.jpg", "tab\tand~tilde.jpg", "emoji \uD83D\uDC04.jpg");
        for (String key : awkward) {
            store.put(key, bytes(key), "image/jpeg");
        }

        for (String key : awkward) {
            assertArrayEquals(bytes(key), store.read(key, 1000), key);
            assertEquals(bytes(key).length, store.head(key).orElseThrow().size(), key);
        }
        List<String> sorted = new ArrayList<>(awkward);
        sorted.sort(Keys.S3_ORDER);
        assertEquals(sorted, keys(store, "", null));
        store.delete("a+b.jpg");
        assertEquals(Optional.empty(), store.head("a+b.jpg"));
        assertTrue(store.head("a b.jpg").isEmpty(), "'+' must not be read as a space");
    }

    @Test
    void putIfAbsentWritesOnlyTheFirstTime() throws IOException {
        assertTrue(store.putIfAbsent(".lightly/ingest/records/a.json", bytes("first"), "application/json"));
        assertFalse(store.putIfAbsent(".lightly/ingest/records/a.json", bytes("second"), "application/json"));

        assertArrayEquals(bytes("first"), store.read(".lightly/ingest/records/a.json", 100));
    }

    @Test
    void putIfAbsentFromEightThreadsCreatesExactlyOnce(MotoServer moto) throws Exception {
        int threads = 8;
        for (int round = 0; round < 10; round++) {
            String key = ".lightly/ingest/records/race-" + round + ".json";
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<S3Client> clients = new ArrayList<>();
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    S3Client client = moto.clients().s3();
                    clients.add(client);
                    S3ObjectStore own = new S3ObjectStore(client, root);
                    byte[] content = bytes("writer " + t);
                    Callable<Boolean> write = () -> {
                        start.await();
                        return own.putIfAbsent(key, content, "application/json");
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
                assertEquals(winners.get(0), new String(store.read(key, 100), StandardCharsets.UTF_8));
            } finally {
                pool.shutdownNow();
                clients.forEach(S3Client::close);
            }
        }
    }

    @Test
    void deleteRemovesTheObjectAndIgnoresMissingKeys() throws IOException {
        store.put("cows/x.jpg", bytes("x"), "image/jpeg");

        store.delete("cows/x.jpg");
        store.delete("cows/x.jpg");

        assertEquals(Optional.empty(), store.head("cows/x.jpg"));
    }

    @Test
    void missingBucketFailsWithOneLineNamingBucketAndOperation() {
        S3ObjectStore missing = new S3ObjectStore(s3, DatasourceUri.s3("no-such-bucket", "in/"));

        List<DatasourceAccessException> failures = List.of(
                assertThrows(DatasourceAccessException.class, () -> missing.list("", null, info -> { })),
                assertThrows(DatasourceAccessException.class, () -> missing.read("a.jpg", 10)),
                assertThrows(DatasourceAccessException.class, () -> missing.head("a.jpg")),
                assertThrows(DatasourceAccessException.class, () -> missing.put("a.jpg", bytes("x"), null)));

        for (DatasourceAccessException e : failures) {
            assertEquals("no-such-bucket", e.bucket());
            assertTrue(e.getMessage().contains("bucket no-such-bucket does not exist"), e.getMessage());
            assertTrue(e.getMessage().contains(e.operation()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals(List.of("ListObjectsV2", "GetObject", "HeadObject", "PutObject"),
                failures.stream().map(DatasourceAccessException::operation).toList());
    }

    @Test
    void openPicksTheStoreForTheUriAndAsksForAClientOnlyForS3() {
        ObjectStore s3Store = ObjectStores.open(root, () -> s3);
        ObjectStore local = ObjectStores.open(DatasourceUri.parse("some/folder"),
                () -> { throw new AssertionError("no S3 client for a folder"); });

        assertInstanceOf(S3ObjectStore.class, s3Store);
        assertEquals(root, s3Store.uri());
        assertInstanceOf(LocalObjectStore.class, local);
        assertEquals(Path.of("some/folder").toAbsolutePath().normalize(), local.uri().dir());
    }

    @Test
    void replaceIfMatchIsAConditionalWriteOnTheETag() throws IOException {
        store.put("claims/a.json", bytes("stale"), "application/json");
        String stale = store.head("claims/a.json").orElseThrow().eTag();

        assertTrue(store.replaceIfMatch("claims/a.json", stale, bytes("first"), "application/json"));
        assertFalse(store.replaceIfMatch("claims/a.json", stale, bytes("second"), "application/json"),
                "412: the version it names was replaced");
        assertArrayEquals(bytes("first"), store.read("claims/a.json", 100));
        assertFalse(store.replaceIfMatch("claims/none.json", stale, bytes("x"), null), "404: nothing to replace");
        assertTrue(store.head("claims/none.json").isEmpty());
    }

    @Test
    void cannotHoldKeysBeyondS3sLimitCountingThePrefix() {
        int prefixBytes = root.prefix().length();
        assertEquals(Optional.empty(), store.cannotHold("../" + "k".repeat(1024 - prefixBytes - 3)),
                "S3 holds any key up to 1,024 bytes, dots and all");
        assertTrue(store.cannotHold("k".repeat(1025 - prefixBytes)).orElseThrow()
                .contains("1025 bytes, over S3's limit of 1024"));
        assertTrue(store.cannotHold("ü".repeat(510)).isPresent(), "counted in UTF-8 bytes");
    }

    @Test
    void readContentCarriesTheUserMetadataOfTheSameGet() throws IOException {
        s3.putObject(b -> b.bucket(bucket).key(root.prefix() + "a.jpg")
                        .metadata(Map.of("Operator", "ana", "shift", "night")),
                RequestBody.fromString("bytes"));

        ObjectContent content = store.readContent("a.jpg", 1024);

        assertEquals("bytes", new String(content.bytes(), StandardCharsets.UTF_8));
        assertEquals(Map.of("operator", "ana", "shift", "night"), content.userMetadata(), "S3 lower-cases the names");
        assertEquals(store.head("a.jpg").orElseThrow().eTag(), content.eTag());
    }

    @Test
    void tagsAreReadWithOneRequestAndAMissingKeyIsNoSuchObject() throws IOException {
        s3.putObject(b -> b.bucket(bucket).key(root.prefix() + "a.jpg").tagging("project=cows&reviewed=no"),
                RequestBody.fromString("bytes"));
        s3.putObject(b -> b.bucket(bucket).key(root.prefix() + "b.jpg"), RequestBody.fromString("bytes"));

        assertEquals(Map.of("project", "cows", "reviewed", "no"), store.tags("a.jpg"));
        assertEquals(Map.of(), store.tags("b.jpg"));
        assertThrows(NoSuchObjectException.class, () -> store.tags("missing.jpg"));
    }
}
