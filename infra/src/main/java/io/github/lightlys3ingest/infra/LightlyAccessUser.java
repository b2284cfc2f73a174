package io.github.lightlys3ingest.infra;

import java.util.List;
import java.util.Map;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.iam.AccessKey;
import software.amazon.awscdk.services.iam.IManagedPolicy;
import software.amazon.awscdk.services.iam.User;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * An IAM user for Lightly's access-key datasource type, for accounts that cannot use delegated access. It
 * carries the same datasource policy as the role; its access key goes to Secrets Manager and never into an
 * output or the template.
 */
public final class LightlyAccessUser extends Construct {

    /** @param datasourcePolicy the policy shared with {@link LightlyAccessRole} */
    public record Props(IManagedPolicy datasourcePolicy) {
    }

    private final User user;
    private final Secret accessKeySecret;

    public LightlyAccessUser(Construct scope, String id, Props props) {
        super(scope, id);
        user = User.Builder.create(this, "User").managedPolicies(List.of(props.datasourcePolicy())).build();
        AccessKey key = AccessKey.Builder.create(this, "AccessKey").user(user).build();
        accessKeySecret = Secret.Builder.create(this, "AccessKeySecret")
                .description("Access key of the IAM user for Lightly's S3 datasource (access-key type)")
                .secretObjectValue(Map.of(
                        "accessKeyId", SecretValue.unsafePlainText(key.getAccessKeyId()),
                        "secretAccessKey", key.getSecretAccessKey()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        NagSuppressions.addResourceSuppressions(accessKeySecret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The secret holds an IAM access key that is also entered in Lightly's datasource settings; "
                        + "automatic rotation would break Lightly's access. Rotate by hand (README) together with "
                        + "the Lightly datasource.")
                .build()));
    }

    /** The IAM user. */
    public User user() {
        return user;
    }

    /** The secret holding {@code accessKeyId} and {@code secretAccessKey}. */
    public Secret accessKeySecret() {
        return accessKeySecret;
    }
}
