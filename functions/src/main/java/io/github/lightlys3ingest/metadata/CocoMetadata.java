package io.github.lightlys3ingest.metadata;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.DatasourceUri;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The COCO-style custom metadata file Lightly's uploader took ({@code SIDECAR_FILE}), loaded once per
 * process: {@code images[]} gives each {@code id} a {@code file_name} relative to the input root,
 * {@code metadata[]} gives an {@code image_id} its fields. The fields of an entry (without {@code image_id})
 * go to the image's {@code sidecar} section, under any per-image sidecar's fields.
 */
public final class CocoMetadata {
    /** Larger files are refused: the whole map is held in memory in every Lambda container. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;
    public static final CocoMetadata NONE = new CocoMetadata(Map.of(), "none");

    private final Map<String, MetadataValues.Checked> byFileName;
    private final String origin;

    private CocoMetadata(Map<String, MetadataValues.Checked> byFileName, String origin) {
        this.byFileName = byFileName;
        this.origin = origin;
    }

    /**
     * Parses the file.
     *
     * @param origin the file's location ({@code s3://...} or a path), named in messages
     * @throws IllegalArgumentException when it is not a COCO-style object with {@code images} and {@code metadata}
     */
    public static CocoMetadata parse(byte[] bytes, String origin) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(origin + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + " could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("images").isArray() || !root.path("metadata").isArray()) {
            throw new IllegalArgumentException(origin + " must be a JSON object with arrays \"images\" (id, file_name)"
                    + " and \"metadata\" (image_id, fields...), as Lightly's uploader took it");
        }
        Map<String, String> fileNames = new HashMap<>();
        int index = 0;
        for (JsonNode image : root.path("images")) {
            String id = image.path("id").asText(null);
            String fileName = image.path("file_name").asText(null);
            if (!image.path("id").isValueNode() || id == null || fileName == null || fileName.isEmpty()) {
                throw new IllegalArgumentException(origin + ": images[" + index + "] needs an id and a file_name");
            }
            if (fileNames.put(id, fileName) != null) {
                throw new IllegalArgumentException(origin + ": images[" + index + "] repeats id " + id);
            }
            index++;
        }
        Map<String, MetadataValues.Checked> byFileName = new HashMap<>();
        index = 0;
        for (JsonNode entry : root.path("metadata")) {
            if (!entry.isObject() || !entry.path("image_id").isValueNode()) {
                throw new IllegalArgumentException(origin + ": metadata[" + index + "] needs an image_id");
            }
            String fileName = fileNames.get(entry.path("image_id").asText());
            if (fileName == null) {
                throw new IllegalArgumentException(origin + ": metadata[" + index + "] names image_id "
                        + entry.path("image_id").asText() + ", which images[] does not have");
            }
            ObjectNode fields = ((ObjectNode) entry).deepCopy();
            fields.remove("image_id");
            byFileName.put(fileName, MetadataValues.checkObject(fields, "SIDECAR_FILE entry of " + fileName));
            index++;
        }
        return new CocoMetadata(Map.copyOf(byFileName), origin);
    }

    /**
     * Reads and parses the file at {@code location}: {@code s3://bucket/key.json} or a local path.
     *
     * @param s3 called only for an S3 location
     * @throws IllegalArgumentException when the file is missing, too large or not COCO-style
     * @throws IOException when S3 could not be reached
     */
    public static CocoMetadata load(String location, Supplier<S3Client> s3) throws IOException {
        ObjectStore store;
        String name;
        if (location.startsWith("s3://")) {
            int slash = location.lastIndexOf('/');
            name = location.substring(slash + 1);
            if (slash < "s3://".length() || name.isEmpty()) {
                throw new IllegalArgumentException("'" + location + "' must name a file: s3://bucket/path/file.json");
            }
            store = ObjectStores.open(DatasourceUri.parse(location.substring(0, slash + 1)), s3);
        } else {
            Path file = Path.of(location).toAbsolutePath().normalize();
            if (file.getParent() == null) {
                throw new IllegalArgumentException("'" + location + "' must name a file");
            }
            store = new LocalObjectStore(file.getParent());
            name = file.getFileName().toString();
        }
        try {
            return parse(store.read(name, MAX_BYTES), location);
        } catch (NoSuchObjectException e) {
            throw new IllegalArgumentException("'" + location + "' does not exist");
        } catch (ObjectTooLargeException e) {
            throw new IllegalArgumentException("'" + location + "' is larger than " + MAX_BYTES + " bytes");
        }
    }

    /**
     * The file's key relative to {@code root} when it lies inside it (then it is no image to ingest); empty
     * when it lies elsewhere.
     */
    public Optional<String> keyUnder(DatasourceUri root) {
        if (this == NONE) {
            return Optional.empty();
        }
        if (origin.startsWith("s3://")) {
            String rootText = root.isS3() ? root.toString() : null;
            return rootText != null && origin.startsWith(rootText) && origin.length() > rootText.length()
                    ? Optional.of(origin.substring(rootText.length())) : Optional.empty();
        }
        if (root.isS3()) {
            return Optional.empty();
        }
        Path file = Path.of(origin).toAbsolutePath().normalize();
        return file.startsWith(root.dir()) && !file.equals(root.dir())
                ? Optional.of(root.dir().relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                : Optional.empty();
    }

    /** The checked fields for one image, if the file has any. */
    public Optional<MetadataValues.Checked> forFile(String fileName) {
        return Optional.ofNullable(byFileName.get(fileName));
    }

    /** Images the file has metadata for. */
    public int size() {
        return byFileName.size();
    }

    @Override
    public String toString() {
        return origin + " (" + byFileName.size() + " images)";
    }
}
