package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.image.Analysis;
import io.github.lightlys3ingest.image.AnalysisOptions;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Measures the full analysis (statistics, EXIF, thumbnail) against a bare {@code ImageIO.read} of the
 * same files, at several thread counts, and the heap each costs.
 *
 * <p>Time: every file is analysed {@code iterations} times per thread after {@code warmup} untimed
 * rounds; ms/image is wall time divided by images processed (so with 2 threads it is throughput, not
 * latency). Heap: measured single-threaded after a full GC. "alloc" is what the analysing thread
 * allocated (HotSpot's per-thread counter): an upper bound of the live heap the call needs. "peak" is
 * the rise of the heap pools' peak usage over the post-GC baseline, with peaks reset before the call:
 * the heap actually occupied, garbage included, which is what decides whether it fits in -Xmx.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks image analysis (metrics + EXIF + thumbnail) against a bare ImageIO.read "
                + "of the same files: ms/image, megapixels/s, ratio and heap per image.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "thread counts to measure, comma-separated or repeated (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--iterations", defaultValue = "5", description = "timed rounds per file and thread (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed rounds per file and thread first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--thumb-format", defaultValue = "jpg", description = "thumbnail format (default: ${DEFAULT-VALUE})")
    String thumbFormat;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "image files, or folders whose files are used")
    List<Path> paths;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    private record Sample(String name, byte[] bytes, int width, int height) {
        double megapixels() {
            return width * (double) height / 1e6;
        }
    }

    private record Timing(double msPerImage, double megapixelsPerSecond) {
    }

    private record Heap(double allocatedMb, double peakMb) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Sample> samples = load(out);
        if (samples.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no decodable image among " + paths);
        }
        ImageAnalyzer analyzer = new ImageAnalyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS,
                AnalysisOptions.DEFAULT_THUMB_SIZE, thumbFormat, true));
        Callable1 analyze = bytes -> {
            if (!(analyzer.analyze(bytes, "bench") instanceof Analysis.Accepted)) {
                throw new IllegalStateException("analysis rejected a benchmark image");
            }
        };
        Callable1 bare = bytes -> {
            if (ImageIO.read(new ByteArrayInputStream(bytes)) == null) {
                throw new IllegalStateException("ImageIO found no reader");
            }
        };
        out.printf(Locale.ROOT, "JVM %s, max heap %d MB, %d processors; %d warm-up + %d timed rounds per thread%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), warmup, iterations);
        out.printf(Locale.ROOT, "%-34s %6s %3s %10s %8s %10s %8s %6s %9s %9s %9s %9s%n", "file", "MP", "thr",
                "analyze ms", "MP/s", "bare ms", "MP/s", "ratio", "alloc MB", "bare MB", "peak MB", "bare pk");
        for (int threadCount : threads) {
            double analyzeTotal = 0;
            double bareTotal = 0;
            double megapixels = 0;
            for (Sample sample : samples) {
                Timing full = time(analyze, sample, threadCount);
                Timing plain = time(bare, sample, threadCount);
                Heap fullHeap = heap(analyze, sample);
                Heap plainHeap = heap(bare, sample);
                analyzeTotal += full.msPerImage();
                bareTotal += plain.msPerImage();
                megapixels += sample.megapixels();
                out.printf(Locale.ROOT, "%-34s %6.1f %3d %10.1f %8.1f %10.1f %8.1f %6.2f %9.0f %9.0f %9.0f %9.0f%n",
                        abbreviate(sample.name()), sample.megapixels(), threadCount, full.msPerImage(),
                        full.megapixelsPerSecond(), plain.msPerImage(), plain.megapixelsPerSecond(),
                        full.msPerImage() / plain.msPerImage(), fullHeap.allocatedMb(), plainHeap.allocatedMb(),
                        fullHeap.peakMb(), plainHeap.peakMb());
                out.flush();
            }
            out.printf(Locale.ROOT, "%-34s %6.1f %3d %10.1f %8.1f %10.1f %8.1f %6.2f%n", "ALL (sum of per-image times)",
                    megapixels, threadCount, analyzeTotal, megapixels / analyzeTotal * 1000, bareTotal,
                    megapixels / bareTotal * 1000, analyzeTotal / bareTotal);
        }
        out.flush();
        return 0;
    }

    @FunctionalInterface
    private interface Callable1 {
        void run(byte[] bytes) throws Exception;
    }

    private List<Sample> load(PrintWriter out) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(path);
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            Analysis analysis = new ImageAnalyzer(AnalysisOptions.defaults()).analyze(bytes, file.toString());
            if (analysis instanceof Analysis.Accepted accepted) {
                int[] shape = accepted.metaData().shape();
                samples.add(new Sample(file.getFileName().toString(), bytes, shape[1], shape[0]));
            } else {
                out.println("skipped " + file + ": " + analysis);
            }
        }
        return samples;
    }

    private Timing time(Callable1 work, Sample sample, int threadCount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        try {
            run(pool, work, sample, threadCount, warmup);
            long start = System.nanoTime();
            run(pool, work, sample, threadCount, iterations);
            double seconds = (System.nanoTime() - start) / 1e9;
            int images = threadCount * iterations;
            return new Timing(seconds * 1000 / images, sample.megapixels() * images / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(ExecutorService pool, Callable1 work, Sample sample, int threadCount, int rounds)
            throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    work.run(sample.bytes());
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    private static Heap heap(Callable1 work, Sample sample) throws Exception {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
        com.sun.management.ThreadMXBean threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.gc();
        long baseline = 0;
        for (MemoryPoolMXBean pool : pools) {
            baseline += pool.getUsage().getUsed();
            pool.resetPeakUsage();
        }
        long threadId = Thread.currentThread().getId();
        long allocatedBefore = threadBean.getThreadAllocatedBytes(threadId);
        work.run(sample.bytes());
        long allocated = threadBean.getThreadAllocatedBytes(threadId) - allocatedBefore;
        long peak = 0;
        for (MemoryPoolMXBean pool : pools) {
            peak += pool.getPeakUsage().getUsed();
        }
        return new Heap(allocated / 1048576.0, Math.max(0, peak - baseline) / 1048576.0);
    }

    private static String abbreviate(String name) {
        return name.length() <= 34 ? name : name.substring(0, 31) + "...";
    }
}
