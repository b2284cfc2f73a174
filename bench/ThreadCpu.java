import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark tool: runs the CLI's main class and, as the JVM exits, prints on stderr the CPU time each kind of
 * thread used (from /proc/self/task: main, JIT compilers, GC, other) and the JVM's uptime, so a whole-process
 * run can be split into start-up, compilation, collection and the work itself. Linux only.
 * Run by bench/cli-floor.sh.
 */
public final class ThreadCpu {
    private ThreadCpu() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(ThreadCpu::report));
        Class.forName("io.github.lightlys3ingest.cli.Main").getMethod("main", String[].class)
                .invoke(null, (Object) args);
    }

    private static void report() {
        Map<String, Double> seconds = new TreeMap<>();
        long ticks = 100; // USER_HZ on Linux
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended while we looked: counted as "ended"
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ticks;
                seconds.merge(kind(name), cpu, Double::sum);
            }
        } catch (IOException e) {
            System.err.println("thread-cpu: " + e);
            return;
        }
        double live = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double total = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ticks;
            // Threads that ended before exit (the CLI's worker pool) are counted in the process, not the list.
            seconds.put("ended", total - live);
            seconds.put("total", total);
        } catch (IOException e) {
            System.err.println("thread-cpu: " + e);
        }
        StringBuilder line = new StringBuilder("thread-cpu s:");
        seconds.forEach((kind, s) -> line.append(String.format(" %s %.2f", kind, s)));
        line.append(String.format(" | jvm uptime %.2f s", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3));
        System.err.println(line);
    }

    private static String kind(String thread) {
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (thread.startsWith("G1") || thread.startsWith("GC") || thread.contains("Conc")) {
            return "gc";
        }
        if (thread.equals("java") || thread.equals("main")) {
            return "main";
        }
        return "other";
    }
}
