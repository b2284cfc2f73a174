package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the command line in-process with captured output, AWS clients pointed at an emulator and a given
 * environment instead of the process's.
 *
 * @param exit the exit code
 * @param out  what was printed on stdout
 * @param err  what was printed on stderr
 */
record CliRun(int exit, String out, String err) {

    static CliRun run(AwsClients aws, Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine(new Surroundings(env::get, () -> aws));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Output and errors, for assertion messages. */
    String both() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
