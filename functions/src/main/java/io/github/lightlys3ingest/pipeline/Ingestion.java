package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.lightly.LightlyToken;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.metadata.CocoMetadata;
import io.github.lightlys3ingest.metadata.MetadataCollector;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * @param metadata builds each sample's custom metadata
 */
public record Ingestion(IngestSettings settings, ObjectStore input, ObjectStore output, Optional<LightlyClient> lightly,
                        ImageAnalyzer analyzer, Clock clock, MetadataCollector metadata) {

    /** Parts with the custom metadata of {@code settings}, except the {@code SIDECAR_FILE}, which is not loaded. */
    public Ingestion(IngestSettings settings, ObjectStore input, ObjectStore output, Optional<LightlyClient> lightly,
                     ImageAnalyzer analyzer, Clock clock) {
        this(settings, input, output, lightly, analyzer, clock,
                new MetadataCollector(settings.customMetadata(), input, CocoMetadata.NONE));
    }

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
                Clock.systemUTC(), metadataCollector(settings, input, aws));
    }

    /** The custom metadata collector, with the {@code SIDECAR_FILE} loaded ({@link #sidecarFile}). */
    static MetadataCollector metadataCollector(IngestSettings settings, ObjectStore input, AwsClients aws) {
        return new MetadataCollector(settings.customMetadata(), input, sidecarFile(settings, aws));
    }

    /**
     * Loads the {@code SIDECAR_FILE}, once per process; {@link CocoMetadata#NONE} when none is set.
     *
     * @throws IllegalArgumentException when the file is missing or no COCO-style file
     * @throws UncheckedIOException when S3 could not be reached for it
     */
    public static CocoMetadata sidecarFile(IngestSettings settings, AwsClients aws) {
        Optional<String> location = settings.customMetadata().sidecarFile();
        if (location.isEmpty()) {
            return CocoMetadata.NONE;
        }
        try {
            return CocoMetadata.load(location.get(), aws::s3);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EnvironmentVariable.SIDECAR_FILE.key() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    EnvironmentVariable.SIDECAR_FILE.key() + " could not be read: " + e.getMessage(), e);
        }
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
        return new IngestPipeline(input, output, sink, analyzer, settings.ingestOptions(), clock, metadata);
    }
}
