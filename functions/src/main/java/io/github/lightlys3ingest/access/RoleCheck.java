package io.github.lightlys3ingest.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The role lights: what IAM says about the delegated-access role (maximum session duration, trust policy)
 * and what STS does with it (assumed with the external ID; refused without it).
 *
 * <p>Assuming the role needs credentials the role trusts. The role Lightly uses trusts only Lightly's
 * account, so with one's own credentials AssumeRole is refused: that is correct, and the S3 checks through
 * the role are then left to Lightly's own verify.
 */
public final class RoleCheck {
    /** Lightly's requirement: without 12 h sessions its long jobs lose access half-way. */
    public static final int LIGHTLY_MAX_SESSION_SECONDS = 43_200;
    static final String SESSION_NAME = "lightly-s3-ingest-verify";
    /** The shortest session STS grants: the checks take seconds. */
    static final int SESSION_SECONDS = 900;

    /**
     * @param lights      the role lights
     * @param credentials the session from AssumeRole with the external ID, when it was granted
     */
    public record Result(List<Light> lights, Optional<AwsSessionCredentials> credentials) {
        public Result {
            lights = List.copyOf(lights);
        }
    }

    private RoleCheck() {
    }

    /** Runs every role check; never throws for an AWS refusal or failure, which become red or yellow lights. */
    public static Result check(StsClient sts, IamClient iam, RoleArn role, String externalId) {
        List<Light> lights = new ArrayList<>();
        Optional<TrustPolicy> trust = describeRole(iam, role, lights, externalId);

        Optional<AwsSessionCredentials> session;
        try {
            Credentials credentials = sts.assumeRole(b -> b.roleArn(role.arn()).roleSessionName(SESSION_NAME)
                    .externalId(externalId).durationSeconds(SESSION_SECONDS)).credentials();
            session = Optional.of(AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                    credentials.sessionToken()));
            lights.add(Light.green("role", "AssumeRole with external ID", "assumed as " + SESSION_NAME));
        } catch (SdkException e) {
            session = Optional.empty();
            String hint = trust.map(TrustPolicy::principals).filter(p -> !p.isEmpty())
                    .map(p -> "; the role trusts " + String.join(", ", p)
                            + ", so only they can assume it"
                            + " (add --lightly-dataset-id to have Lightly check through the role)")
                    .orElse("");
            lights.add(Light.red("role", "AssumeRole with external ID", describe(e) + hint));
        }

        if (session.isEmpty()) {
            lights.add(Light.yellow("role", "AssumeRole without external ID refused",
                    "skipped: the role could not be assumed even with the external ID"));
            return new Result(lights, session);
        }
        try {
            sts.assumeRole(b -> b.roleArn(role.arn()).roleSessionName(SESSION_NAME).durationSeconds(SESSION_SECONDS));
            boolean policyDemandsIt = trust.map(t -> t.externalIdRule(externalId) != TrustPolicy.ExternalIdRule.MISSING)
                    .orElse(false);
            lights.add(Light.red("role", "AssumeRole without external ID refused",
                    "the role was assumed without an external ID" + (policyDemandsIt
                            ? " although its trust policy demands one:"
                                    + " this STS does not enforce sts:ExternalId (an emulator?)"
                            : ": add the condition StringEquals sts:ExternalId to its trust policy")));
        } catch (AwsServiceException e) {
            lights.add(e.statusCode() == 403
                    ? Light.green("role", "AssumeRole without external ID refused", "refused: " + code(e))
                    : Light.red("role", "AssumeRole without external ID refused", "could not check: " + describe(e)));
        } catch (SdkException e) {
            lights.add(Light.red("role", "AssumeRole without external ID refused", "could not check: " + describe(e)));
        }
        return new Result(lights, session);
    }

    /** Adds the lights that come from IAM GetRole; returns the trust policy when it could be read. */
    private static Optional<TrustPolicy> describeRole(IamClient iam, RoleArn role, List<Light> lights,
            String externalId) {
        Role described;
        try {
            described = iam.getRole(b -> b.roleName(role.name())).role();
        } catch (NoSuchEntityException e) {
            String reason = "role " + role.name() + " does not exist";
            lights.add(Light.red("role", "Max session duration", reason));
            lights.add(Light.red("role", "Trust policy requires external ID", reason));
            return Optional.empty();
        } catch (SdkException e) {
            // Reading a role needs iam:GetRole, which a verifying user may lack; the role may still be fine.
            String reason = "skipped: could not read the role (iam:GetRole): " + describe(e);
            lights.add(Light.yellow("role", "Max session duration", reason));
            lights.add(Light.yellow("role", "Trust policy requires external ID", reason));
            return Optional.empty();
        }
        int seconds = described.maxSessionDuration() == null ? 3600 : described.maxSessionDuration();
        lights.add(seconds >= LIGHTLY_MAX_SESSION_SECONDS
                ? Light.green("role", "Max session duration", seconds + " s")
                : Light.red("role", "Max session duration", seconds + " s < " + LIGHTLY_MAX_SESSION_SECONDS
                        + " s (Lightly needs 12 h sessions)"));
        TrustPolicy trust;
        try {
            trust = TrustPolicy.parse(described.assumeRolePolicyDocument());
        } catch (IllegalArgumentException e) {
            lights.add(Light.red("role", "Trust policy requires external ID", e.getMessage()));
            return Optional.empty();
        }
        lights.add(switch (trust.externalIdRule(externalId)) {
            case REQUIRED -> Light.green("role", "Trust policy requires external ID",
                    "sts:ExternalId condition matches");
            case MISSING -> Light.red("role", "Trust policy requires external ID",
                    "a statement allows sts:AssumeRole without an sts:ExternalId condition");
            case DIFFERENT -> Light.red("role", "Trust policy requires external ID",
                    "the sts:ExternalId condition does not accept the given external ID");
        });
        return Optional.of(trust);
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return code(service) + ": " + DatasourceChecks.firstLine(service.awsErrorDetails().errorMessage());
        }
        return DatasourceChecks.firstLine(e.getMessage());
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
    }
}
