package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The role checks with IAM from moto and an STS that enforces the external ID (or refuses everyone), since
 * moto's STS grants every AssumeRole.
 */
@ExtendWith(MotoExtension.class)
class RoleCheckTest {
    private static final String EXTERNAL_ID = "farm-animals-2024-ext";
    private IamClient iam;
    private RoleArn role;

    @BeforeEach
    void createRole(MotoServer moto) {
        iam = moto.clients().iam();
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::916419735646:root\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + EXTERNAL_ID + "\"}}}]}";
        String name = MotoServer.freshName("Lightly-S3-Integration");
        role = new RoleArn(iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)
                .maxSessionDuration(43_200)).role().arn());
    }

    @AfterEach
    void close() {
        iam.close();
    }

    /** An STS that grants AssumeRole only to requests carrying {@code grantedExternalId} (never, when null). */
    private static final class EnforcingSts implements StsClient {
        private final String grantedExternalId;
        final List<AssumeRoleRequest> requests = new ArrayList<>();

        EnforcingSts(String grantedExternalId) {
            this.grantedExternalId = grantedExternalId;
        }

        @Override
        public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
            requests.add(request);
            if (grantedExternalId == null || !grantedExternalId.equals(request.externalId())) {
                throw (StsException) StsException.builder().statusCode(403)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
                                .errorMessage("User is not authorized to perform: sts:AssumeRole on resource: "
                                        + request.roleArn())
                                .build())
                        .build();
            }
            return AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId("ASIAEXAMPLE")
                    .secretAccessKey("secret").sessionToken("token").expiration(Instant.now().plusSeconds(900)).build())
                    .build();
        }

        @Override
        public String serviceName() {
            return "sts";
        }

        @Override
        public void close() {
        }
    }

    private static Light light(RoleCheck.Result result, String check) {
        return result.lights().stream().filter(l -> l.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no light " + check + " in " + result.lights()));
    }

    @Test
    void aRoleThatEnforcesTheExternalIdIsAllGreen() {
        EnforcingSts sts = new EnforcingSts(EXTERNAL_ID);

        RoleCheck.Result result = RoleCheck.check(sts, iam, role, EXTERNAL_ID);

        assertEquals(List.of(), result.lights().stream().filter(l -> l.state() != Light.State.GREEN).toList());
        assertEquals("refused: AccessDenied", light(result, "AssumeRole without external ID refused").detail());
        assertEquals("ASIAEXAMPLE", result.credentials().orElseThrow().accessKeyId());
        assertEquals(EXTERNAL_ID, sts.requests.get(0).externalId());
        assertEquals(RoleCheck.SESSION_SECONDS, sts.requests.get(0).durationSeconds());
        assertEquals(null, sts.requests.get(1).externalId());
    }

    @Test
    void aRoleOnlyLightlyMayAssumeIsRedWithAHintAndTheRefusalCheckIsSkipped() {
        RoleCheck.Result result = RoleCheck.check(new EnforcingSts(null), iam, role, EXTERNAL_ID);

        Light assume = light(result, "AssumeRole with external ID");
        assertEquals(Light.State.RED, assume.state());
        assertTrue(assume.detail().startsWith("AccessDenied: User is not authorized to perform: sts:AssumeRole"),
                assume.detail());
        assertTrue(assume.detail().contains("the role trusts arn:aws:iam::916419735646:root"), assume.detail());
        assertTrue(assume.detail().contains("--lightly-dataset-id"), assume.detail());
        assertEquals(Light.State.YELLOW, light(result, "AssumeRole without external ID refused").state());
        assertEquals(Light.State.GREEN, light(result, "Max session duration").state());
        assertTrue(result.credentials().isEmpty());
    }
}
