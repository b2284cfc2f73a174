package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.metadata.CocoMetadata;
import io.github.lightlys3ingest.metadata.MetadataCollector;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What each custom metadata source costs in S3 requests per image, counted on moto by operation: key, user
 * and exif nothing, tags one GetObjectTagging, sidecar two GetObjects of {@code <image>.json} (404s when there
 * is none).
 */
@ExtendWith(MotoExtension.class)
class CustomMetadataRequestsTest {

    private Map<String, Integer> requestsFor(MotoServer moto, String sources) throws IOException {
        String bucket = MotoServer.freshName("costs");
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        try (S3Client plain = moto.clients().s3();
             S3Client counted = S3Client.builder().region(MotoServer.REGION).endpointOverride(moto.endpoint())
                     .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                     .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                         @Override
                         public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
                             counts.merge(a.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
                         }
                     })).build()) {
            plain.createBucket(b -> b.bucket(bucket));
            byte[] photo;
            try (InputStream in = getClass().getResourceAsStream("/images/Kodak_DX4330.jpg")) {
                photo = in.readAllBytes();
            }
            plain.putObject(b -> b.bucket(bucket).key("in/site/2024-06-01/cam1/a.jpg").tagging("project=cows"),
                    RequestBody.fromBytes(photo));
            IngestSettings settings = IngestSettings.parse(Map.of(
                    EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/in/",
                    EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/out/",
                    EnvironmentVariable.CUSTOM_METADATA.key(), sources,
                    EnvironmentVariable.KEY_PATTERN.key(),
                    sources.contains("key") ? "{site}/{date}/{camera}/*" : "")::get);
            S3ObjectStore input = new S3ObjectStore(counted, settings.input());
            IngestPipeline pipeline = new IngestPipeline(input, new S3ObjectStore(counted, settings.output()),
                    SampleSink.DRY_RUN, new ImageAnalyzer(settings.analysisOptions()), settings.ingestOptions(),
                    Clock.systemUTC(), new MetadataCollector(settings.customMetadata(), input, CocoMetadata.NONE));
            pipeline.process(input.head("site/2024-06-01/cam1/a.jpg").orElseThrow());
            counts.merge("HeadObject", -1, Integer::sum); // the head above, which an event or listing replaces
        }
        return new TreeMap<>(counts);
    }

    private static Map<String, Integer> minus(Map<String, Integer> more, Map<String, Integer> base) {
        Map<String, Integer> difference = new TreeMap<>();
        more.forEach((operation, n) -> {
            int extra = n - base.getOrDefault(operation, 0);
            if (extra != 0) {
                difference.put(operation, extra);
            }
        });
        return difference;
    }

    @Test
    void eachSourceCostsWhatTheDocumentationSays(MotoServer moto) throws IOException {
        Map<String, Integer> none = requestsFor(moto, "none");

        assertEquals(Map.of(), minus(requestsFor(moto, "key,user,exif"), none), "key, user and exif are free");
        assertEquals(Map.of("GetObjectTagging", 1), minus(requestsFor(moto, "tags"), none));
        assertEquals(Map.of("GetObject", 2), minus(requestsFor(moto, "sidecar"), none),
                "the sidecar before the image is read, and again after the record is written");
    }
}
