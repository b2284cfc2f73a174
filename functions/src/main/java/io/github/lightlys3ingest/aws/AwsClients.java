package io.github.lightlys3ingest.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds AWS SDK clients the same way everywhere: region from the standard chain (falling back to
 * us-east-1 outside AWS), the lightweight URL-connection HTTP client, and, when {@code AWS_ENDPOINT_URL}
 * is set (moto, LocalStack), that endpoint with path-style S3 addressing.
 */
public final class AwsClients {
    private final Region region;
    private final Optional<URI> endpoint;

    public AwsClients(Region region, Optional<URI> endpoint) {
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * Region and endpoint from the environment ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
     * {@code AWS_ENDPOINT_URL}).
     */
    public static AwsClients fromEnvironment() {
        String region = firstNonBlank(System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"), "us-east-1");
        String endpoint = firstNonBlank(System.getenv("AWS_ENDPOINT_URL"), "");
        return new AwsClients(Region.of(region),
                endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint)));
    }

    public Region region() {
        return region;
    }

    public Optional<URI> endpoint() {
        return endpoint;
    }

    public S3Client s3() {
        return configure(S3Client.builder())
                .forcePathStyle(endpoint.isPresent())
                .build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public StsClient sts() {
        return configure(StsClient.builder()).build();
    }

    public IamClient iam() {
        return configure(IamClient.builder()).region(Region.AWS_GLOBAL).build();
    }

    public LambdaClient lambda() {
        return configure(LambdaClient.builder()).build();
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).build();
    }

    public CloudFormationClient cloudFormation() {
        return configure(CloudFormationClient.builder()).build();
    }

    public CloudWatchClient cloudWatch() {
        return configure(CloudWatchClient.builder()).build();
    }

    /** Signs S3 URLs locally (no request is sent); same region, endpoint and addressing as {@link #s3()}. */
    public S3Presigner s3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder().region(region)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region);
        endpoint.ifPresent(builder::endpointOverride);
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder;
    }

    /** The first value that is set; the last argument is the default and may be empty. */
    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return values[values.length - 1];
    }
}
