package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.Defaults;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.lightly.ImageType;
import io.github.lightlys3ingest.lightly.TagResult;
import io.github.lightlys3ingest.pipeline.Ingestion;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Makes new samples visible in Lightly: the initial tag, or an upsize tag when samples were added since. */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = {"Create the dataset's initial tag, or an upsize tag (named like 20230328_14h05m09s) when",
                "samples were added since the last tag. Token from LIGHTLY_TOKEN."})
final class TagCommand implements Callable<Integer> {

    @Option(names = "--lightly-dataset-id", paramLabel = "ID", defaultValue = "${env:LIGHTLY_DATASET_ID}",
            description = "Lightly dataset (default: env LIGHTLY_DATASET_ID).")
    String datasetId;

    @Option(names = "--upload-mode", paramLabel = "MODE", defaultValue = "${env:UPLOAD_MODE:-thumbnails}",
            description = "thumbnails or metadata: the initial tag's image type (default ${DEFAULT-VALUE}).")
    String uploadMode;

    @Option(names = "--lightly-server-location", paramLabel = "URL",
            defaultValue = "${env:LIGHTLY_SERVER_LOCATION:-" + Defaults.SERVER_LOCATION + "}",
            description = "Lightly API base URL (default ${DEFAULT-VALUE}).")
    String serverLocation;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    TagCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        if (datasetId == null || datasetId.isBlank()) {
            throw new IllegalArgumentException("--lightly-dataset-id (or LIGHTLY_DATASET_ID) is required");
        }
        ImageType type = ImageType.of(UploadMode.parse(uploadMode));
        TagResult result = Ingestion.lightlyClient(serverLocation, datasetId.trim(), null, env, aws.get())
                .createTagIfNeeded(type);
        String action = result.action().name().toLowerCase(Locale.ROOT);
        String message;
        if (result.action() != TagResult.Action.NONE) {
            message = action + " tag created: " + result.tagName();
        } else if (result.tagName() == null) {
            message = "the dataset has no samples yet: nothing to tag";
        } else {
            message = "no new samples since tag " + result.tagName() + ": nothing to do";
        }
        spec.commandLine().getOut().println(message);
        return 0;
    }
}
