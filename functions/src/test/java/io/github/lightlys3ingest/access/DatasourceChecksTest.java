package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.storage.DatasourceUri;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The reasons of red lights for refusals, which moto does not produce (it enforces no bucket policies and no
 * KMS permissions); the KMS messages are the ones S3 returns when KMS refuses.
 */
class DatasourceChecksTest {
    private static final DatasourceUri OUTPUT = DatasourceUri.parse("s3://datalake/lightly/");

    /** An S3 that refuses every request with 403 AccessDenied. */
    private static final class DenyingS3 implements S3Client {
        private static S3Exception denied() {
            return (S3Exception) S3Exception.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied")
                            .build())
                    .build();
        }

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            throw denied();
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            throw denied();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRefusalNamesThePermissionAndResourceNeeded() {
        List<Light> lights = DatasourceChecks.output(new DenyingS3(), OUTPUT);

        assertEquals(List.of(
                new Light("output", "List", Light.State.RED,
                        "AccessDenied: needs s3:ListBucket on arn:aws:s3:::datalake"),
                new Light("output", "Write", Light.State.RED,
                        "AccessDenied: needs s3:PutObject on arn:aws:s3:::datalake/lightly/*"),
                new Light("output", "Read", Light.State.YELLOW, "skipped: Write failed, so there is no probe object"),
                new Light("output", "Overwrite", Light.State.YELLOW,
                        "skipped: Write failed, so there is no probe object"),
                new Light("output", "Delete", Light.State.YELLOW,
                        "skipped: Write failed, so there is no probe object")),
                lights);
    }

    @Test
    void anInputRefusalSkipsTheRead() {
        List<Light> lights = DatasourceChecks.input(new DenyingS3(), DatasourceUri.parse("s3://datalake/farm/"));

        assertEquals(Light.State.RED, lights.get(0).state());
        assertEquals(new Light("input", "Read", Light.State.YELLOW,
                "skipped: List failed, so there is no object to read"), lights.get(1));
    }

    private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /** An S3 whose objects are SSE-KMS encrypted under {@link #KEY} and whose caller may not use the key. */
    private static final class KmsRefusingS3 implements S3Client {
        private final S3Exception onPut;

        KmsRefusingS3(S3Exception onPut) {
            this.onPut = onPut;
        }

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            return ListObjectsV2Response.builder()
                    .contents(S3Object.builder().key(request.prefix() + "cow.jpg").size(1234L).build()).build();
        }

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
            throw refusal(403, "AccessDenied", "The ciphertext refers to a customer master key that does not exist, "
                    + "does not exist in this region, or you are not allowed to access.");
        }

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            return HeadObjectResponse.builder().serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(KEY)
                    .build();
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            throw onPut;
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private static S3Exception refusal(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private static final S3Exception GENERATE_DATA_KEY_DENIED = refusal(403, "AccessDenied",
            "User: arn:aws:sts::111122223333:assumed-role/Lightly-S3-Integration/verify is not authorized to perform: "
                    + "kms:GenerateDataKey on resource: " + KEY + " because no identity-based policy allows the "
                    + "kms:GenerateDataKey action");

    @Test
    void anInputReadRefusedByKmsNamesDecryptAndTheKeyOfTheObject() {
        List<Light> lights = DatasourceChecks.input(new KmsRefusingS3(GENERATE_DATA_KEY_DENIED),
                DatasourceUri.parse("s3://datalake/farm/"));

        assertEquals(Light.State.GREEN, lights.get(0).state(), "listing needs no key");
        assertEquals(new Light("input", "Read", Light.State.RED, "KMS AccessDenied: needs kms:Decrypt on " + KEY
                + " through S3, in the caller's IAM policy and in the key policy (see docs/operations.md)"),
                lights.get(1));
    }

    @Test
    void anOutputWriteRefusedByKmsNamesGenerateDataKeyAndTheKeyFromKmsMessage() {
        List<Light> lights = DatasourceChecks.output(new KmsRefusingS3(GENERATE_DATA_KEY_DENIED), OUTPUT);

        assertEquals(new Light("output", "Write", Light.State.RED, "KMS AccessDenied: needs kms:GenerateDataKey on "
                + KEY + " through S3, in the caller's IAM policy and in the key policy (see docs/operations.md)"),
                lights.get(1));
        assertEquals(Light.State.YELLOW, lights.get(2).state());
    }

    @Test
    void aDisabledKeyIsReportedAsSuchNotAsAMissingPermission() {
        S3Exception disabled = refusal(400, "KMS.DisabledException", KEY + " is disabled.");
        List<Light> lights = DatasourceChecks.output(new KmsRefusingS3(disabled), OUTPUT);

        assertEquals(new Light("output", "Write", Light.State.RED, "KMS.DisabledException: KMS cannot use " + KEY
                + " (" + KEY + " is disabled.); S3 needs the key enabled and in the bucket's region"), lights.get(1));
    }

    @Test
    void encryptionIsDescribedAsS3SaysIt() {
        assertEquals(" (SSE-KMS, key " + KEY + ")", DatasourceChecks.encryption(ServerSideEncryption.AWS_KMS, KEY));
        assertEquals(" (SSE-S3)", DatasourceChecks.encryption(ServerSideEncryption.AES256, null));
        assertEquals(" (SSE-KMS, key not named by S3)",
                DatasourceChecks.encryption(ServerSideEncryption.AWS_KMS, null));
        assertEquals("", DatasourceChecks.encryption(null, null));
    }
}
