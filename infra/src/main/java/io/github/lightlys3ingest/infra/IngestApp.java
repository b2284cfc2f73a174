package io.github.lightlys3ingest.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk.json} runs it): reads {@link StackSettings} from context, defines the
 * {@link IngestStack} and checks it with cdk-nag's AWS Solutions rules.
 */
public final class IngestApp {

    /**
     * CDK feature flags, set here rather than in cdk.json so the tests synthesize with exactly the same ones.
     * Context given on the command line or in cdk.json still wins.
     */
    public static final Map<String, Object> FEATURE_FLAGS = Map.of(
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/aws-s3:createDefaultLoggingPolicy", true,
            "@aws-cdk/aws-s3:publicAccessBlockedByDefault", true,
            "@aws-cdk/aws-lambda:recognizeLayerVersion", true,
            "@aws-cdk/core:checkSecretUsage", true,
            "@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName", true);

    private IngestApp() {
    }

    public static void main(String[] args) {
        App app = new App(AppProps.builder().context(FEATURE_FLAGS).build());
        try {
            define(app);
        } catch (InvalidSettingsException e) {
            // A user mistake: one readable message, no stack trace, non-zero exit so `cdk synth` fails.
            System.err.println(e.getMessage());
            System.exit(1);
        }
        app.synth();
    }

    /**
     * Defines the stack in {@code app} from the app's context and adds the cdk-nag checks.
     *
     * @throws InvalidSettingsException when the context holds invalid or missing settings
     */
    public static IngestStack define(App app) {
        StackSettings settings = StackSettings.fromContext(allContext(app));
        IngestStack stack = new IngestStack(app, settings.stackName(), StackProps.builder()
                .description("lightly-s3-ingest: feeds images from S3 into a Lightly dataset")
                .build(), settings);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    /** Every context key with its value: from cdk.json, {@code -c}, the CDK CLI and the feature flags. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> allContext(App app) {
        return (Map<String, Object>) app.getNode().getAllContext();
    }
}
