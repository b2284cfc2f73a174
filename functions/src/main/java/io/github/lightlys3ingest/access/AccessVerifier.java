package io.github.lightlys3ingest.access;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.lightly.DatasourceVerification;
import io.github.lightlys3ingest.lightly.LightlyApiException;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Runs {@code verify}: the S3 lights of the input and output datasources, directly or through the
 * delegated-access role, the role's own lights, and optionally Lightly's verdict on the dataset's
 * datasource.
 */
public final class AccessVerifier {

    /**
     * What to check.
     *
     * @param input      the INPUT datasource, or null to skip it
     * @param output     the LIGHTLY (output) datasource, or null to skip it
     * @param role       the role to check and to run the S3 checks through, or null for the caller's own credentials
     * @param externalId the role's external ID; required with a role
     */
    public record Target(DatasourceUri input, DatasourceUri output, RoleArn role, String externalId) {
        /**
         * @throws IllegalArgumentException when nothing is to be checked, a datasource is not S3, or a role lacks an
         *                                  external ID
         */
        public Target {
            if (input == null && output == null) {
                throw new IllegalArgumentException("give --input, --output or both");
            }
            for (DatasourceUri uri : new DatasourceUri[] {input, output}) {
                if (uri != null && !uri.isS3()) {
                    throw new IllegalArgumentException("'" + uri + "' is not an S3 datasource (s3://bucket/prefix/)");
                }
            }
            if (role != null && (externalId == null || externalId.isBlank())) {
                throw new IllegalArgumentException("--role-arn needs --external-id (or LIGHTLY_EXTERNAL_ID)");
            }
        }
    }

    private final AwsClients aws;

    public AccessVerifier(AwsClients aws) {
        this.aws = Objects.requireNonNull(aws, "aws");
    }

    /**
     * Checks everything the target names, and Lightly's own verify when a client is given.
     * AWS and Lightly failures become lights; nothing is thrown for them.
     */
    public AccessReport verify(Target target, Optional<LightlyClient> lightly) {
        List<Light> lights = new ArrayList<>();
        if (target.role() == null) {
            try (S3Client s3 = aws.s3()) {
                lights.addAll(s3Lights(s3, target));
            }
        } else {
            RoleCheck.Result role;
            try (StsClient sts = aws.sts(); IamClient iam = aws.iam()) {
                role = RoleCheck.check(sts, iam, target.role(), target.externalId());
            }
            lights.addAll(role.lights());
            if (role.credentials().isPresent()) {
                try (S3Client s3 = s3(role.credentials().get())) {
                    lights.addAll(s3Lights(s3, target));
                }
            } else {
                lights.addAll(skipped(target, "skipped: the role could not be assumed"));
            }
        }
        lightly.ifPresent(client -> lights.addAll(lightlyLights(client)));
        return new AccessReport(Objects.toString(target.input(), null), Objects.toString(target.output(), null),
                target.role() == null ? null : target.role().arn(), lights);
    }

    /** Lightly's own check, which assumes the role as Lightly does: List, Read, Write, Overwrite. */
    static List<Light> lightlyLights(LightlyClient client) {
        DatasourceVerification result;
        try {
            result = client.verifyDatasource();
        } catch (IOException | LightlyApiException e) {
            return List.of(Light.red("Lightly", "Verify", client.settings().mask(e.getMessage())));
        }
        return List.of(lightlyLight("List", result.canList(), result.errors().get("canList")),
                lightlyLight("Read", result.canRead(), result.errors().get("canRead")),
                lightlyLight("Write", result.canWrite(), result.errors().get("canWrite")),
                lightlyLight("Overwrite", result.canOverwrite(), result.errors().get("canOverwrite")));
    }

    private static Light lightlyLight(String check, boolean granted, String error) {
        return granted ? Light.green("Lightly", check, error)
                : Light.red("Lightly", check,
                        error == null ? "Lightly reports it cannot " + check.toLowerCase(Locale.ROOT) : error);
    }

    private static List<Light> s3Lights(S3Client s3, Target target) {
        List<Light> lights = new ArrayList<>();
        if (target.input() != null) {
            lights.addAll(DatasourceChecks.input(s3, target.input()));
        }
        if (target.output() != null) {
            lights.addAll(DatasourceChecks.output(s3, target.output()));
        }
        return lights;
    }

    private static List<Light> skipped(Target target, String reason) {
        List<Light> lights = new ArrayList<>();
        if (target.input() != null) {
            List.of("List", "Read").forEach(check -> lights.add(Light.yellow("input", check, reason)));
        }
        if (target.output() != null) {
            List.of("List", "Write", "Read", "Overwrite", "Delete")
                    .forEach(check -> lights.add(Light.yellow("output", check, reason)));
        }
        return lights;
    }

    /**
     * An S3 client like {@link AwsClients#s3()} (region, endpoint, path style, HTTP client) but signing with
     * the role's session instead of the caller's credentials.
     */
    private S3Client s3(AwsSessionCredentials session) {
        var builder = S3Client.builder()
                .region(aws.region())
                .credentialsProvider(StaticCredentialsProvider.create(session))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(aws.endpoint().isPresent());
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
