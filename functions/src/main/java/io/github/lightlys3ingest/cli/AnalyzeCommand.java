package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.metadata.CocoMetadata;
import io.github.lightlys3ingest.metadata.MetadataCollector;
import io.github.lightlys3ingest.metadata.Sidecars;
import io.github.lightlys3ingest.pipeline.IngestPipeline;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** Prints, per file, the record (or rejection) {@code ingest} would write, without writing anything. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Print one JSON record per file (what ingest would write), writing nothing.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files to analyse.")
    List<Path> files;

    @CommandLine.Mixin
    ImageOptions image = new ImageOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Files are analysed one after another, so a helper thread can take the statistics off the decoder's
        // thread and use the otherwise idle core.
        ExecutorService helper = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "analysis-helper");
            thread.setDaemon(true);
            return thread;
        });
        int missing = 0;
        try {
            ImageAnalyzer analyzer = null;
            CocoMetadata coco = null;
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    spec.commandLine().getErr().println("error: not a file: " + file);
                    missing++;
                    continue;
                }
                if (Sidecars.imageOf(file.getFileName().toString()).isPresent()) {
                    // ingest never analyses a sidecar as an image either; its image's record shows its use
                    spec.commandLine().getErr().println("skipped: " + file + " is a sidecar, not an image");
                    continue;
                }
                Path parent = file.toAbsolutePath().getParent();
                // The settings need an output root; analyze never writes, so any folder outside the input does.
                IngestSettings settings = image.settings(parent.toString(),
                        parent.resolveSibling(".analyze").toString(), System::getenv);
                if (analyzer == null) {
                    analyzer = new ImageAnalyzer(settings.analysisOptions(), helper);
                }
                LocalObjectStore store = new LocalObjectStore(parent);
                if (coco == null) {
                    coco = Ingestion.sidecarFile(settings, AwsClients.fromEnvironment());
                }
                IngestPipeline pipeline = new IngestPipeline(store, store, SampleSink.DRY_RUN, analyzer,
                        settings.ingestOptions(), Clock.systemUTC(),
                        new MetadataCollector(settings.customMetadata(), store, coco));
                ObjectInfo info = store.head(file.getFileName().toString()).orElseThrow();
                out.println(Json.MAPPER.writeValueAsString(pipeline.preview(info)));
                out.flush();
            }
        } finally {
            helper.shutdownNow();
        }
        return missing == 0 ? 0 : Main.EXIT_USAGE;
    }
}
