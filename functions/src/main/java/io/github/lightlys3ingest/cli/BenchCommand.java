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
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Measures the full analysis (statistics, EXIF, thumbnail) against a bare {@code ImageIO.read} of the
 * same files, at several thread counts, and the heap each costs.
 *
 * <p>Time: per file and thread count, {@code warmup} untimed then {@code iterations} timed rounds, analysis
 * and bare read alternating round by round so that both see the same machine load; in a round every
 * thread processes the file once. Reported are medians over rounds, per image: wall ms (round wall time
 * divided by the thread count, so with 2 threads it is throughput, not latency) and CPU ms (CPU time of
 * every Java thread during the round, helper threads included, divided likewise; GC and JIT threads are
 * not Java threads and are not counted). Heap: measured single-threaded after a full GC. "alloc" is what
 * the analysing thread allocated (HotSpot's per-thread counter): an upper bound of the live heap the call
 * needs. "peak" is the rise of the heap pools' peak usage over the post-GC baseline, with peaks reset
 * before the call: the heap actually occupied, garbage included, which is what decides whether it fits in -Xmx.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks image analysis (metrics + EXIF + thumbnail) against a bare ImageIO.read "
                + "of the same files: wall and CPU ms per image, megapixels/s, ratios and heap per image.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "thread counts to measure, comma-separated or repeated (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--iterations", defaultValue = "5",
            description = "timed rounds per file and thread count (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2",
            description = "untimed rounds per file and thread count first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--thumb-format", defaultValue = "jpg",
            description = "thumbnail format (default: ${DEFAULT-VALUE})")
    String thumbFormat;

    @Option(names = "--helper", description = "give the analyser a helper thread pool, so that measuring rows "
            + "overlaps decoding (see ImageAnalyzer)")
    boolean helper;

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

    /** Per image, medians over the timed rounds. */
    private record Timing(double wallMs, double cpuMs) {
    }

    private record Heap(double allocatedMb, double peakMb) {
    }

    @FunctionalInterface
    private interface Work {
        void run(byte[] bytes) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Sample> samples = load(out);
        if (samples.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no decodable image among " + paths);
        }
        ExecutorService helperPool = helper ? Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "analysis-helper");
            thread.setDaemon(true);
            return thread;
        }) : null;
        ImageAnalyzer analyzer = new ImageAnalyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_MAX_PIXELS,
                AnalysisOptions.DEFAULT_THUMB_SIZE, thumbFormat, true), helperPool);
        Work analyze = bytes -> {
            if (!(analyzer.analyze(bytes, "bench") instanceof Analysis.Accepted)) {
                throw new IllegalStateException("analysis rejected a benchmark image");
            }
        };
        Work bare = bytes -> {
            if (ImageIO.read(new ByteArrayInputStream(bytes)) == null) {
                throw new IllegalStateException("ImageIO found no reader");
            }
        };
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        out.printf(Locale.ROOT, "JVM %s, max heap %d MB, %d processors, load average %.2f;"
                        + " %d warm-up + %d timed rounds; analysis %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage(), warmup, iterations,
                helper ? "with a helper thread" : "on the calling thread");
        out.printf(Locale.ROOT, "%-34s %6s %3s %8s %8s %6s %8s %8s %6s %8s %8s %8s %8s%n", "file", "MP", "thr",
                "wall ms", "bare ms", "ratio", "cpu ms", "bare cpu", "ratio", "MP/s", "alloc MB", "peak MB", "bare pk");
        for (int threadCount : threads) {
            Timing analyzeTotal = new Timing(0, 0);
            Timing bareTotal = new Timing(0, 0);
            double megapixels = 0;
            ExecutorService pool = Executors.newFixedThreadPool(threadCount);
            try {
                for (Sample sample : samples) {
                    Timing[] timings = time(pool, threadCount, sample, analyze, bare);
                    Timing full = timings[0];
                    Timing plain = timings[1];
                    Heap fullHeap = heap(analyze, sample);
                    Heap plainHeap = heap(bare, sample);
                    analyzeTotal = new Timing(analyzeTotal.wallMs() + full.wallMs(),
                            analyzeTotal.cpuMs() + full.cpuMs());
                    bareTotal = new Timing(bareTotal.wallMs() + plain.wallMs(), bareTotal.cpuMs() + plain.cpuMs());
                    megapixels += sample.megapixels();
                    print(out, abbreviate(sample.name()), sample.megapixels(), threadCount, full, plain);
                    out.printf(Locale.ROOT, " %8.0f %8.0f %8.0f%n", fullHeap.allocatedMb(), fullHeap.peakMb(),
                            plainHeap.peakMb());
                    out.flush();
                }
            } finally {
                pool.shutdownNow();
            }
            print(out, "ALL (sum of per-image medians)", megapixels, threadCount, analyzeTotal, bareTotal);
            out.println();
        }
        out.printf(Locale.ROOT, "load average at the end %.2f%n", os.getSystemLoadAverage());
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, String name, double megapixels, int threadCount, Timing full,
                              Timing plain) {
        out.printf(Locale.ROOT, "%-34s %6.1f %3d %8.1f %8.1f %6.2f %8.1f %8.1f %6.2f %8.1f", name, megapixels,
                threadCount, full.wallMs(), plain.wallMs(), full.wallMs() / plain.wallMs(), full.cpuMs(),
                plain.cpuMs(), full.cpuMs() / plain.cpuMs(), megapixels / full.wallMs() * 1000);
    }

    /** Analysis and bare read, alternating round by round: {analysis, bare}. */
    private Timing[] time(ExecutorService pool, int threadCount, Sample sample, Work analyze, Work bare)
            throws Exception {
        for (int i = 0; i < warmup; i++) {
            round(pool, threadCount, sample, analyze);
            round(pool, threadCount, sample, bare);
        }
        double[][] analyzeRounds = new double[2][iterations];
        double[][] bareRounds = new double[2][iterations];
        for (int i = 0; i < iterations; i++) {
            double[] a = round(pool, threadCount, sample, analyze);
            double[] b = round(pool, threadCount, sample, bare);
            for (int k = 0; k < 2; k++) {
                analyzeRounds[k][i] = a[k];
                bareRounds[k][i] = b[k];
            }
        }
        return new Timing[] {
            new Timing(median(analyzeRounds[0]) / threadCount, median(analyzeRounds[1]) / threadCount),
            new Timing(median(bareRounds[0]) / threadCount, median(bareRounds[1]) / threadCount)};
    }

    /** Every thread processes the sample once: {wall ms, CPU ms of all Java threads}. */
    private static double[] round(ExecutorService pool, int threadCount, Sample sample, Work work) throws Exception {
        Map<Long, Long> cpuBefore = threadCpuTimes();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            futures.add(pool.submit(() -> {
                work.run(sample.bytes());
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long wall = System.nanoTime() - start;
        long cpu = 0;
        for (Map.Entry<Long, Long> after : threadCpuTimes().entrySet()) {
            cpu += after.getValue() - cpuBefore.getOrDefault(after.getKey(), 0L);
        }
        return new double[] {wall / 1e6, cpu / 1e6};
    }

    /** CPU time by thread id; a thread that ends during a round takes its time with it (pool threads do not). */
    private static Map<Long, Long> threadCpuTimes() {
        com.sun.management.ThreadMXBean threadBean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threadBean.getAllThreadIds();
        long[] times = threadBean.getThreadCpuTime(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (times[i] >= 0) {
                byThread.put(ids[i], times[i]);
            }
        }
        return byThread;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
    private static Heap heap(Work work, Sample sample) throws Exception {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
        com.sun.management.ThreadMXBean threadBean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
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
