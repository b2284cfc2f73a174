package io.github.lightlys3ingest.storage;

import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens the store a {@link DatasourceUri} points at. */
public final class ObjectStores {
    private ObjectStores() {
    }

    /**
     * Returns a {@link LocalObjectStore} for a folder or an {@link S3ObjectStore} for an S3 root.
     *
     * @param s3 called only for an S3 root, so local use needs neither AWS credentials nor a region; the
     *           caller owns (and closes) the client it supplies
     */
    public static ObjectStore open(DatasourceUri uri, Supplier<S3Client> s3) {
        return uri.isS3() ? new S3ObjectStore(s3.get(), uri) : new LocalObjectStore(uri.dir());
    }
}
