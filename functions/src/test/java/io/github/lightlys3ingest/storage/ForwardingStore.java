package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/** A store that hands every call to another; tests override the call they want to observe or delay. */
public class ForwardingStore implements ObjectStore {
    private final ObjectStore delegate;

    public ForwardingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public DatasourceUri uri() {
        return delegate.uri();
    }

    @Override
    public Optional<String> cannotHold(String key) throws IOException {
        return delegate.cannotHold(key);
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        return delegate.head(key);
    }

    @Override
    public byte[] read(String key, long maxBytes) throws IOException {
        return delegate.read(key, maxBytes);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        delegate.put(key, bytes, contentType);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) throws IOException {
        return delegate.putIfAbsent(key, bytes, contentType);
    }

    @Override
    public boolean replaceIfMatch(String key, String eTag, byte[] bytes, String contentType) throws IOException {
        return delegate.replaceIfMatch(key, eTag, bytes, contentType);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public void list(String prefix, String startAfter, Consumer<ObjectInfo> each) throws IOException {
        delegate.list(prefix, startAfter, each);
    }
}
