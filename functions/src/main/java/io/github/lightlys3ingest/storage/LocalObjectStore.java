package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.Arrays;
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
 *   <li>{@link #read} never follows a symbolic link out of the folder: it throws {@link OutsideRootException}
 *       (the pipeline turns that into an {@code outside_input} rejection). Links within the folder are read.</li>
 *   <li>{@link #put} writes a temporary file beside the target and renames it over the target, so readers
 *       never see half a file. {@link #putIfAbsent} hard-links the temporary file to the target, which the
 *       file system does atomically and refuses when the target exists, across threads and processes;
 *       it therefore needs a file system with hard links.</li>
 *   <li>{@link #replaceIfMatch} renames the current file aside under a unique name, which only one of
 *       several concurrent writers can do, compares the eTag of what it moved (renaming keeps size and
 *       modification time), and hard-links the new content in place, or the old file back when it was another
 *       version. Between the two steps the key is briefly absent.</li>
 *   <li>The content type is not stored.</li>
 * </ul>
 */
public final class LocalObjectStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".lightly-tmp-";
    private static final Pattern TEMP_NAME = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "[0-9a-f]{32}");
    /** Longest file or folder name common file systems (ext4, XFS, APFS, NTFS) accept, in bytes. */
    public static final int MAX_NAME_BYTES = 255;
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
    public Optional<String> cannotHold(String key) throws IOException {
        try {
            Keys.requireRelative(key);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        String[] segments = key.split("/");
        for (String segment : segments) {
            int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_BYTES) {
                return Optional.of("a path segment of " + bytes + " bytes, over a folder's limit of " + MAX_NAME_BYTES);
            }
        }
        Path path = root;
        for (int i = 0; i < segments.length; i++) {
            path = path.resolve(segments[i]);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // nothing in the way from here on
            }
            String at = String.join("/", Arrays.copyOfRange(segments, 0, i + 1));
            if (i < segments.length - 1 && !attributes.isDirectory()) {
                return Optional.of(at + " is a file, so nothing can be stored below it");
            }
            if (i == segments.length - 1 && attributes.isDirectory()) {
                return Optional.of(at + " is a folder (other objects' files lie under it)");
            }
        }
        return Optional.empty();
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

    /**
     * {@inheritDoc}
     *
     * @throws OutsideRootException when the key is, or lies below, a symbolic link to a place outside the root
     */
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
            Path real = file.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new OutsideRootException(key, real.toString());
            }
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
    public boolean replaceIfMatch(String key, String eTag, byte[] bytes, String contentType) throws IOException {
        Path target = resolve(key);
        Path aside = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID().toString().replace("-", ""));
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false; // gone, or another writer moved it first
        }
        try {
            BasicFileAttributes moved =
                    Files.readAttributes(aside, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!moved.isRegularFile() || !info(key, moved).eTag().equals(eTag)) {
                restore(aside, target);
                return false;
            }
            Path temp = writeTemp(target, bytes);
            try {
                Files.createLink(target, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false; // created afresh while the key was absent: that writer owns it
            } finally {
                Files.deleteIfExists(temp);
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Puts a file moved aside back, unless the key was created afresh meanwhile. */
    private static void restore(Path aside, Path target) throws IOException {
        try {
            Files.createLink(target, aside);
        } catch (FileAlreadyExistsException e) {
            // a newer object took the key while it was absent; it wins over the one moved aside
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
                Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified), null,
                attributes.lastModifiedTime().toInstant());
    }

    private record Entry(Path path, String key, BasicFileAttributes attributes) {
    }
}
