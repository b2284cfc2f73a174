package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A datasource that is a local folder, laid out like the bucket it mirrors (for instance after
 * {@code aws s3 sync}).
 *
 * <ul>
 *   <li>The eTag is a cheap fingerprint, not a content hash: {@code <size hex>-<last-modified nanos hex>}.
 *       It changes whenever a file is rewritten, which is all the pipeline needs it for: {@link #readVersion}
 *       compares it before and after reading, so a file rewritten meanwhile counts as another version.</li>
 *   <li>{@link #list} yields regular files (symbolic links to files included) in S3's order, i.e. by the
 *       {@code /}-joined key compared as Unicode code points; it does not descend into symbolic links to
 *       folders (no cycles). It filters nothing except this store's own in-flight temporary files.</li>
 *   <li>{@link #put} writes a temporary file beside the target and renames it over the target, so readers
 *       never see half a file. {@link #putIfAbsent} hard-links the temporary file to the target, which the
 *       file system does atomically and refuses when the target exists, across threads and processes;
 *       it therefore needs a file system with hard links.</li>
 *   <li>The content type is not stored.</li>
 * </ul>
 */
public final class LocalObjectStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".lightly-tmp-";
    private static final Pattern TEMP_NAME = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "[0-9a-f]{32}");
    /** Largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path root;
    private final DatasourceUri uri;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uri = new DatasourceUri(null, null, this.root);
    }

    @Override
    public DatasourceUri uri() {
        return uri;
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        Path file = resolve(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? Optional.of(info(key, attributes)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] read(String key, long maxBytes) throws IOException {
        return readContent(key, maxBytes).bytes();
    }

    /** The bytes and the fingerprint {@link #head} reports; folders hold no user metadata. */
    @Override
    public ObjectContent readContent(String key, long maxBytes) throws IOException {
        Path file = resolve(key);
        long limit = Math.min(maxBytes, MAX_ARRAY);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new NoSuchObjectException(file.toString(), key);
            }
            if (attributes.size() > limit) {
                throw new ObjectTooLargeException(key, attributes.size(), limit);
            }
            // The file may grow between the size check and the read: never read past the limit.
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) limit + 1);
                if (bytes.length > limit) {
                    throw new ObjectTooLargeException(key, bytes.length, limit);
                }
                return new ObjectContent(bytes, info(key, attributes).eTag(), Map.of());
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(file.toString(), key);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        Path target = resolve(key);
        Path temp = writeTemp(target, bytes);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) throws IOException {
        Path target = resolve(key);
        Path temp = writeTemp(target, bytes);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        try {
            if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // already gone: deleting is idempotent
        }
    }

    @Override
    public void list(String prefix, String startAfter, Consumer<ObjectInfo> each) throws IOException {
        String keyPrefix = prefix == null ? "" : prefix;
        int slash = keyPrefix.lastIndexOf('/');
        String dirKey = slash < 0 ? "" : keyPrefix.substring(0, slash + 1);
        if (!dirKey.isEmpty()) {
            try {
                Keys.requireRelative(dirKey.substring(0, dirKey.length() - 1));
            } catch (IllegalArgumentException e) {
                return; // no valid key lies under a folder with '.', '..' or empty segments
            }
        }
        Path dir = dirKey.isEmpty() ? root : root.resolve(dirKey);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            walk(dir, dirKey, keyPrefix, startAfter, each);
        }
    }

    /**
     * Visits a folder's entries in S3 order. Every key below child folder {@code d} starts with
     * {@code d/}, so sorting files by name and folders by name plus {@code /} orders whole subtrees
     * correctly without collecting the tree first.
     */
    private void walk(Path dir, String dirKey, String prefix, String startAfter, Consumer<ObjectInfo> each)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (TEMP_NAME.matcher(name).matches()) {
                    continue;
                }
                Optional<BasicFileAttributes> attributes = attributes(child);
                if (attributes.isEmpty()) {
                    continue;
                }
                boolean folder = attributes.get().isDirectory();
                if (folder || attributes.get().isRegularFile()) {
                    entries.add(new Entry(child, dirKey + name + (folder ? "/" : ""), attributes.get()));
                }
            }
        } catch (NoSuchFileException e) {
            return; // removed while listing
        }
        entries.sort(Comparator.comparing(Entry::key, Keys.S3_ORDER));
        for (Entry entry : entries) {
            String key = entry.key();
            if (entry.attributes().isDirectory()) {
                boolean underPrefix = key.startsWith(prefix) || prefix.startsWith(key);
                boolean allBeforeStart = startAfter != null
                        && Keys.compareCodePoints(key, startAfter) < 0 && !startAfter.startsWith(key);
                if (underPrefix && !allBeforeStart) {
                    walk(entry.path(), key, prefix, startAfter, each);
                }
            } else if (key.startsWith(prefix)
                    && (startAfter == null || Keys.compareCodePoints(key, startAfter) > 0)) {
                each.accept(info(key, entry.attributes()));
            }
        }
    }

    /** Attributes of a folder entry: folders are not followed through links, files are. */
    private static Optional<BasicFileAttributes> attributes(Path child) throws IOException {
        try {
            BasicFileAttributes own = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!own.isSymbolicLink()) {
                return Optional.of(own);
            }
            BasicFileAttributes target = Files.readAttributes(child, BasicFileAttributes.class);
            return target.isRegularFile() ? Optional.of(target) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted meanwhile, or a dangling link
        }
    }

    private Path writeTemp(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID().toString().replace("-", ""));
        try {
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private Path resolve(String key) {
        Path file = root.resolve(Keys.requireRelative(key)).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("key leaves the datasource root: " + key);
        }
        return file;
    }

    private static ObjectInfo info(String key, BasicFileAttributes attributes) {
        long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return new ObjectInfo(key, attributes.size(),
                Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified), null);
    }

    private record Entry(Path path, String key, BasicFileAttributes attributes) {
    }
}
