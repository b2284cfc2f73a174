package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The role Lightly assumes for its S3 delegated access: trusted by Lightly's account root only, with an
 * external ID, 12 h sessions, read on the input datasource and read/write/delete on the output datasource,
 * each limited to its prefix. The permissions live in one customer-managed policy so that the optional
 * {@link LightlyAccessUser} gets exactly the same ones.
 */
public final class LightlyAccessRole extends Construct {

    /**
     * @param inputBucket      bucket of the INPUT datasource
     * @param inputPrefix      its root prefix
     * @param outputBucket     bucket of the LIGHTLY (output) datasource
     * @param outputPrefix     its root prefix
     * @param lightlyAccountId the AWS account Lightly assumes the role from
     * @param externalId       the external ID Lightly must present
     * @param roleName         physical role name
     */
    public record Props(IBucket inputBucket, String inputPrefix, IBucket outputBucket, String outputPrefix,
                        String lightlyAccountId, String externalId, String roleName) {
    }

    /** Lightly's documentation: shorter sessions make its long-running jobs lose access. */
    static final Duration MAX_SESSION = Duration.hours(12);

    private final Role role;
    private final ManagedPolicy policy;

    public LightlyAccessRole(Construct scope, String id, Props props) {
        super(scope, id);
        policy = ManagedPolicy.Builder.create(this, "DatasourcePolicy")
                .description("Lightly delegated access: read the input datasource, read/write the output datasource")
                .statements(List.of(
                        withSid("ReadInputObjects",
                                PrefixPermissions.objects(props.inputBucket(), props.inputPrefix(), "s3:GetObject")),
                        withSid("ListInputPrefix", PrefixPermissions.list(props.inputBucket(), props.inputPrefix())),
                        withSid("ReadWriteOutputObjects", PrefixPermissions.objects(props.outputBucket(),
                                props.outputPrefix(), "s3:GetObject", "s3:PutObject", "s3:DeleteObject")),
                        withSid("ListOutputPrefix",
                                PrefixPermissions.list(props.outputBucket(), props.outputPrefix()))))
                .build();
        NagSuppressions.addResourceSuppressions(policy, List.of(PrefixPermissions.prefixWildcardSuppression(
                "Lightly reads every image under the input datasource root and writes thumbnails under the "
                        + "output root; object keys are not known in advance, so the object ARN ends in <prefix>*.",
                props.inputPrefix(), props.outputPrefix())));
        role = Role.Builder.create(this, "Role")
                .roleName(props.roleName())
                .description("Assumed by Lightly (S3 delegated access) to read the input and write the output"
                        + " datasource")
                .assumedBy(new AccountPrincipal(props.lightlyAccountId()))
                .externalIds(List.of(props.externalId()))
                .maxSessionDuration(MAX_SESSION)
                .managedPolicies(List.of(policy))
                .build();
    }

    private static PolicyStatement withSid(String sid, PolicyStatement statement) {
        statement.setSid(sid);
        return statement;
    }

    /** The role Lightly assumes. */
    public Role role() {
        return role;
    }

    /** The datasource policy attached to the role. */
    public ManagedPolicy policy() {
        return policy;
    }
}
