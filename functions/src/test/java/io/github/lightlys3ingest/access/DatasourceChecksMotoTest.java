package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The lights on moto's S3 with bucket default encryption: the Read and Write lights say how the objects were
 * encrypted and under which key. Moto applies the bucket's default SSE-KMS and reports the key, but it neither
 * checks that the key exists nor enforces KMS permissions (so a KMS refusal is tested in
 * {@link DatasourceChecksTest}); it does not name the AWS-managed {@code aws/s3} key either.
 */
@ExtendWith(MotoExtension.class)
class DatasourceChecksMotoTest {
    private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private S3Client s3;
    private String bucket;

    @BeforeEach
    void createBucket(MotoServer moto) {
        s3 = moto.clients().s3();
        bucket = MotoServer.freshName("datalake");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void close() {
        s3.close();
    }

    private void defaultEncryption(ServerSideEncryption algorithm, String key) {
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .bucketKeyEnabled(key != null)
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(algorithm).kmsMasterKeyID(key)))));
    }

    private static Light light(List<Light> lights, String check) {
        return lights.stream().filter(l -> l.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void writesUnderTheBucketsKmsKeyShowTheKeyAndReadBack() {
        defaultEncryption(ServerSideEncryption.AWS_KMS, KEY);

        List<Light> lights = DatasourceChecks.output(s3, DatasourceUri.parse("s3://" + bucket + "/lightly/"));

        lights.forEach(l -> assertEquals(Light.State.GREEN, l.state(), l.toString()));
        Light write = light(lights, "Write");
        assertTrue(write.detail().matches("wrote \\.lightly/verify/probe-[0-9a-f-]{36}\\.txt \\(SSE-KMS, key "
                + KEY.replace(".", "\\.") + "\\)"), write.detail());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket)).keyCount(), "the probe is gone");
    }

    @Test
    void readsOfKmsEncryptedInputShowTheKey() {
        defaultEncryption(ServerSideEncryption.AWS_KMS, KEY);
        s3.putObject(b -> b.bucket(bucket).key("farm/cow.jpg"), RequestBody.fromBytes(new byte[64]));

        List<Light> lights = DatasourceChecks.input(s3, DatasourceUri.parse("s3://" + bucket + "/farm/"));

        assertEquals(new Light("input", "Read", Light.State.GREEN,
                "read the first 16 bytes of cow.jpg (SSE-KMS, key " + KEY + ")"), light(lights, "Read"));
    }

    @Test
    void sseS3ObjectsAreShownAsSuch() {
        defaultEncryption(ServerSideEncryption.AES256, null);
        s3.putObject(b -> b.bucket(bucket).key("farm/cow.jpg"), RequestBody.fromBytes(new byte[64]));

        List<Light> input = DatasourceChecks.input(s3, DatasourceUri.parse("s3://" + bucket + "/farm/"));
        List<Light> output = DatasourceChecks.output(s3, DatasourceUri.parse("s3://" + bucket + "/lightly/"));

        assertTrue(light(input, "Read").detail().endsWith("cow.jpg (SSE-S3)"), light(input, "Read").detail());
        assertTrue(light(output, "Write").detail().endsWith(".txt (SSE-S3)"), light(output, "Write").detail());
    }
}
