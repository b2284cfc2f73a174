package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.storage.DatasourceUri;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The reasons of red lights for refusals, which moto does not produce (it enforces no bucket policies). */
class DatasourceChecksTest {
    private static final DatasourceUri OUTPUT = DatasourceUri.parse("s3://datalake/lightly/");

    /** An S3 that refuses every request with 403 AccessDenied. */
    private static final class DenyingS3 implements S3Client {
        private static S3Exception denied() {
            return (S3Exception) S3Exception.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build())
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
                new Light("output", "List", Light.State.RED, "AccessDenied: needs s3:ListBucket on arn:aws:s3:::datalake"),
                new Light("output", "Write", Light.State.RED, "AccessDenied: needs s3:PutObject on arn:aws:s3:::datalake/lightly/*"),
                new Light("output", "Read", Light.State.YELLOW, "skipped: Write failed, so there is no probe object"),
                new Light("output", "Overwrite", Light.State.YELLOW, "skipped: Write failed, so there is no probe object"),
                new Light("output", "Delete", Light.State.YELLOW, "skipped: Write failed, so there is no probe object")),
                lights);
    }

    @Test
    void anInputRefusalSkipsTheRead() {
        List<Light> lights = DatasourceChecks.input(new DenyingS3(), DatasourceUri.parse("s3://datalake/farm/"));

        assertEquals(Light.State.RED, lights.get(0).state());
        assertEquals(new Light("input", "Read", Light.State.YELLOW, "skipped: List failed, so there is no object to read"),
                lights.get(1));
    }
}
