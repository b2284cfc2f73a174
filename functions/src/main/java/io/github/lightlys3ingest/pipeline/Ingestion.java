package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.lightly.LightlyToken;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pipeline's parts built from settings, once per process: stores, the Lightly client and the analyzer.
 * A Lambda container builds it in its handler's constructor, so SnapStart snapshots it; the CLI once per run.
 *
 * @param settings the validated configuration
 * @param input    input datasource
 * @param output   output datasource
 * @param lightly  the Lightly client, empty in a dry run (no dataset id)
 * @param analyzer the image analyzer
 * @param clock    time source
 */
public record Ingestion(IngestSettings settings, ObjectStore input, ObjectStore output, Optional<LightlyClient> lightly,
                        ImageAnalyzer analyzer, Clock clock) {

    /**
     * Reads the configuration from environment variables.
     *
     * @throws IllegalArgumentException naming every bad or missing variable
     */
    public static Ingestion fromEnvironment(Function<String, String> env) {
        return create(IngestSettings.parse(env), env, AwsClients.fromEnvironment());
    }

    /**
     * Builds the parts for given settings; the token comes from {@code env} ({@link LightlyToken}).
     *
     * @throws IllegalArgumentException when a dataset id is set but no token is available
     */
    public static Ingestion create(IngestSettings settings, Function<String, String> env, AwsClients aws) {
        ObjectStore input = ObjectStores.open(settings.input(), aws::s3);
        ObjectStore output = ObjectStores.open(settings.output(), aws::s3);
        Optional<LightlyClient> lightly = settings.datasetId()
                .map(dataset -> lightlyClient(settings.serverLocation(), dataset, settings.lightlyRequestTimeout(), env,
                        aws));
        return new Ingestion(settings, input, output, lightly, new ImageAnalyzer(settings.analysisOptions()),
                Clock.systemUTC());
    }

    /**
     * The Lightly client for a dataset with a request timeout (null: the default), with the token from
     * {@code env} ({@link LightlyToken}): the one way the Lambda functions and the CLI connect to Lightly.
     *
     * @throws IllegalArgumentException when no token is available
     */
    public static LightlyClient lightlyClient(String serverLocation, String datasetId, Duration requestTimeout,
                                              Function<String, String> env, AwsClients aws) {
        String token = LightlyToken.resolve(env, aws::secretsManager).orElseThrow(() ->
                new IllegalArgumentException("a Lightly dataset id is given but no token: set "
                        + EnvironmentVariable.LIGHTLY_TOKEN.key()
                        + " (or " + EnvironmentVariable.LIGHTLY_TOKEN_SECRET_ID.key() + ")"));
        return new LightlyClient(new LightlySettings(URI.create(serverLocation), token, datasetId, requestTimeout));
    }

    /** A pipeline whose Lightly calls end before {@code deadline} (the end of the invocation). */
    public IngestPipeline pipeline(Instant deadline) {
        SampleSink sink = lightly.<SampleSink>map(client -> client.withDeadline(deadline)).orElse(SampleSink.DRY_RUN);
        return new IngestPipeline(input, output, sink, analyzer, settings.ingestOptions(), clock);
    }
}
