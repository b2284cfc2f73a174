package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a command takes from outside its command line: environment variables and AWS clients. Commands
 * receive it in their constructor ({@link Main#commandLine(Surroundings)}), so tests can run them with
 * their own environment and clients pointed at an emulator.
 *
 * @param env environment variables by name
 * @param aws AWS clients, built when a command needs them
 */
record Surroundings(Function<String, String> env, Supplier<AwsClients> aws) {

    /** The process's environment and AWS clients configured from it. */
    static Surroundings ofProcess() {
        return new Surroundings(System::getenv, AwsClients::fromEnvironment);
    }
}
