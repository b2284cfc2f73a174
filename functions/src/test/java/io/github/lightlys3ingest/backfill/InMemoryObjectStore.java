package io.github.lightlys3ingest.backfill;

import io.github.lightlys3ingest.storage.DatasourceUri;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** An S3-like store in memory: keys in (ASCII) S3 order, MD5 eTags, a count of reads. */
final class InMemoryObjectStore implements ObjectStore {
    private final DatasourceUri uri;
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    final AtomicLong reads = new AtomicLong();

    InMemoryObjectStore(String uri) {
        this.uri = DatasourceUri.parse(uri);
    }

    static String eTag(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DatasourceUri uri() {
        return uri;
    }

    @Override
    public Optional<String> cannotHold(String key) {
        return key.isEmpty() ? Optional.of("empty key") : Optional.empty();
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        byte[] bytes = objects.get(key);
        return bytes == null ? Optional.empty() : Optional.of(new ObjectInfo(key, bytes.length, eTag(bytes), null));
    }

    @Override
    public byte[] read(String key, long maxBytes) throws NoSuchObjectException, ObjectTooLargeException {
        reads.incrementAndGet();
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new NoSuchObjectException(uri.resolve(key), key);
        }
        if (bytes.length > maxBytes) {
            throw new ObjectTooLargeException(key, bytes.length, maxBytes);
        }
        return bytes.clone();
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        objects.put(key, bytes.clone());
    }

    @Override
    public boolean replaceIfMatch(String key, String eTag, byte[] bytes, String contentType) {
        byte[] current = objects.get(key);
        return current != null && eTag(current).equals(eTag) && objects.replace(key, current, bytes.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
        return objects.putIfAbsent(key, bytes.clone()) == null;
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public void list(String prefix, String startAfter, Consumer<ObjectInfo> each) {
        String from = prefix == null ? "" : prefix;
        Map<String, byte[]> tail = startAfter != null && startAfter.compareTo(from) >= 0
                ? objects.tailMap(startAfter, false) : objects.tailMap(from, true);
        for (Map.Entry<String, byte[]> entry : tail.entrySet()) {
            if (!entry.getKey().startsWith(from)) {
                break;
            }
            each.accept(new ObjectInfo(entry.getKey(), entry.getValue().length, eTag(entry.getValue()), null));
        }
    }

    boolean contains(String key) {
        return objects.containsKey(key);
    }
}
